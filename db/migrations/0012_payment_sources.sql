CREATE TABLE "partnerships" (
	"id" serial PRIMARY KEY NOT NULL,
	"organisation_id" integer NOT NULL,
	"goal_id" integer NOT NULL,
	"tier" text NOT NULL,
	"status" text DEFAULT 'prospect' NOT NULL,
	"agreed_yearly_ore" bigint,
	"starts_on" date,
	"ends_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "partnerships_tier_check" CHECK ("partnerships"."tier" in ('huvudpartner', 'partner', 'vanforetag')),
	CONSTRAINT "partnerships_status_check" CHECK ("partnerships"."status" in ('prospect', 'negotiating', 'active', 'renewal_due', 'renewed', 'lapsed', 'declined')),
	CONSTRAINT "partnerships_agreed_positive" CHECK ("partnerships"."agreed_yearly_ore" is null or "partnerships"."agreed_yearly_ore" > 0),
	CONSTRAINT "partnerships_period_order" CHECK ("partnerships"."ends_on" is null or "partnerships"."starts_on" is null or "partnerships"."ends_on" >= "partnerships"."starts_on")
);
--> statement-breakpoint
CREATE TABLE "collections" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"story" text DEFAULT '' NOT NULL,
	"goal_id" integer NOT NULL,
	"owner_person_id" integer NOT NULL,
	"organisation_id" integer,
	"parent_collection_id" integer,
	"target_ore" bigint,
	"ends_at" timestamp with time zone,
	"status" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "collections_slug_unique" UNIQUE("slug"),
	CONSTRAINT "collections_status_check" CHECK ("collections"."status" in ('open', 'closed')),
	CONSTRAINT "collections_target_positive" CHECK ("collections"."target_ore" is null or "collections"."target_ore" > 0),
	CONSTRAINT "collections_not_own_parent" CHECK ("collections"."parent_collection_id" is null or "collections"."parent_collection_id" <> "collections"."id")
);
--> statement-breakpoint
CREATE TABLE "competition_teams" (
	"id" serial PRIMARY KEY NOT NULL,
	"competition_id" integer NOT NULL,
	"name" text NOT NULL,
	"organisation_id" integer,
	"collection_id" integer,
	"stated_headcount" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "competition_teams_headcount_positive" CHECK ("competition_teams"."stated_headcount" is null or "competition_teams"."stated_headcount" > 0)
);
--> statement-breakpoint
CREATE TABLE "competitions" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"organiser_person_id" integer NOT NULL,
	"scoring_mode" text DEFAULT 'total' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "competitions_slug_unique" UNIQUE("slug"),
	CONSTRAINT "competitions_scoring_mode_check" CHECK ("competitions"."scoring_mode" in ('total', 'per_participant', 'per_headcount', 'participation', 'together')),
	CONSTRAINT "competitions_period_order" CHECK ("competitions"."ends_at" > "competitions"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "payroll_run_lines" (
	"id" serial PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"person_id" integer,
	"goal_id" integer NOT NULL,
	"amount_ore" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payroll_run_lines_amount_nonnegative" CHECK ("payroll_run_lines"."amount_ore" is null or "payroll_run_lines"."amount_ore" >= 0)
);
--> statement-breakpoint
CREATE TABLE "payroll_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"organisation_id" integer NOT NULL,
	"month" date NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payroll_runs_status_check" CHECK ("payroll_runs"."status" in ('draft', 'confirmed')),
	CONSTRAINT "payroll_runs_month_first_day" CHECK (extract(day from "payroll_runs"."month") = 1)
);
--> statement-breakpoint
CREATE TABLE "workplace_programmes" (
	"id" serial PRIMARY KEY NOT NULL,
	"organisation_id" integer NOT NULL,
	"per_mille_offered" boolean DEFAULT false NOT NULL,
	"payroll_day" integer,
	"pay_code" text,
	"stated_headcount" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workplace_programmes_payroll_day_range" CHECK ("workplace_programmes"."payroll_day" is null or "workplace_programmes"."payroll_day" between 1 and 31),
	CONSTRAINT "workplace_programmes_headcount_positive" CHECK ("workplace_programmes"."stated_headcount" is null or "workplace_programmes"."stated_headcount" > 0)
);
--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "partnership_id" integer;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "payroll_run_line_id" integer;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "collection_id" integer;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "competition_team_id" integer;--> statement-breakpoint
ALTER TABLE "partnerships" ADD CONSTRAINT "partnerships_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnerships" ADD CONSTRAINT "partnerships_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnerships" ADD CONSTRAINT "partnerships_tier_partner_tiers_slug_fk" FOREIGN KEY ("tier") REFERENCES "public"."partner_tiers"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collections" ADD CONSTRAINT "collections_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collections" ADD CONSTRAINT "collections_owner_person_id_people_id_fk" FOREIGN KEY ("owner_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collections" ADD CONSTRAINT "collections_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collections" ADD CONSTRAINT "collections_parent_collection_id_collections_id_fk" FOREIGN KEY ("parent_collection_id") REFERENCES "public"."collections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competition_teams" ADD CONSTRAINT "competition_teams_competition_id_competitions_id_fk" FOREIGN KEY ("competition_id") REFERENCES "public"."competitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competition_teams" ADD CONSTRAINT "competition_teams_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competition_teams" ADD CONSTRAINT "competition_teams_collection_id_collections_id_fk" FOREIGN KEY ("collection_id") REFERENCES "public"."collections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competitions" ADD CONSTRAINT "competitions_organiser_person_id_people_id_fk" FOREIGN KEY ("organiser_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payroll_run_lines" ADD CONSTRAINT "payroll_run_lines_run_id_payroll_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."payroll_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payroll_run_lines" ADD CONSTRAINT "payroll_run_lines_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payroll_run_lines" ADD CONSTRAINT "payroll_run_lines_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payroll_runs" ADD CONSTRAINT "payroll_runs_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workplace_programmes" ADD CONSTRAINT "workplace_programmes_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "partnerships_organisation_idx" ON "partnerships" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "partnerships_goal_idx" ON "partnerships" USING btree ("goal_id");--> statement-breakpoint
CREATE INDEX "collections_goal_idx" ON "collections" USING btree ("goal_id");--> statement-breakpoint
CREATE INDEX "collections_parent_idx" ON "collections" USING btree ("parent_collection_id");--> statement-breakpoint
CREATE INDEX "collections_owner_idx" ON "collections" USING btree ("owner_person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "competition_teams_organisation_uq" ON "competition_teams" USING btree ("competition_id","organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "competition_teams_collection_uq" ON "competition_teams" USING btree ("competition_id","collection_id");--> statement-breakpoint
CREATE INDEX "payroll_run_lines_run_idx" ON "payroll_run_lines" USING btree ("run_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payroll_runs_organisation_month_uq" ON "payroll_runs" USING btree ("organisation_id","month");--> statement-breakpoint
CREATE UNIQUE INDEX "workplace_programmes_organisation_uq" ON "workplace_programmes" USING btree ("organisation_id");--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_payroll_run_line_id_payroll_run_lines_id_fk" FOREIGN KEY ("payroll_run_line_id") REFERENCES "public"."payroll_run_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_collection_id_collections_id_fk" FOREIGN KEY ("collection_id") REFERENCES "public"."collections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_competition_team_id_competition_teams_id_fk" FOREIGN KEY ("competition_team_id") REFERENCES "public"."competition_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payments_partnership_idx" ON "payments" USING btree ("partnership_id") WHERE "payments"."partnership_id" is not null;--> statement-breakpoint
CREATE INDEX "payments_payroll_run_line_idx" ON "payments" USING btree ("payroll_run_line_id") WHERE "payments"."payroll_run_line_id" is not null;--> statement-breakpoint
CREATE INDEX "payments_collection_idx" ON "payments" USING btree ("collection_id") WHERE "payments"."collection_id" is not null;--> statement-breakpoint
CREATE INDEX "payments_competition_team_idx" ON "payments" USING btree ("competition_team_id") WHERE "payments"."competition_team_id" is not null;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_channel_check" CHECK ("ledger_entries"."channel" in ('one_off_gift', 'monthly_gift', 'partner_fee', 'salary_giving', 'collection', 'competition'));