CREATE TABLE "workplace_invites" (
	"id" serial PRIMARY KEY NOT NULL,
	"programme_id" integer NOT NULL,
	"code" text NOT NULL,
	"expires_on" date,
	"revoked_at" timestamp with time zone,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workplace_invites_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "workplace_pledge_terms" (
	"id" serial PRIMARY KEY NOT NULL,
	"pledge_id" integer NOT NULL,
	"from_month" date NOT NULL,
	"state" text NOT NULL,
	"kind" text NOT NULL,
	"amount_ore" bigint,
	"rate_tenths" integer,
	"goals" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" integer,
	CONSTRAINT "workplace_pledge_terms_state_check" CHECK ("workplace_pledge_terms"."state" in ('active', 'paused', 'stopped')),
	CONSTRAINT "workplace_pledge_terms_kind_check" CHECK ("workplace_pledge_terms"."kind" in ('fixed', 'per_mille')),
	CONSTRAINT "workplace_pledge_terms_month_first_day" CHECK (extract(day from "workplace_pledge_terms"."from_month") = 1),
	CONSTRAINT "workplace_pledge_terms_amount_positive" CHECK ("workplace_pledge_terms"."amount_ore" is null or "workplace_pledge_terms"."amount_ore" > 0),
	CONSTRAINT "workplace_pledge_terms_rate_range" CHECK ("workplace_pledge_terms"."rate_tenths" is null or "workplace_pledge_terms"."rate_tenths" between 1 and 1000)
);
--> statement-breakpoint
CREATE TABLE "workplace_pledges" (
	"id" serial PRIMARY KEY NOT NULL,
	"programme_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"employee_number" text,
	"consent_at" timestamp with time zone NOT NULL,
	"consent_version" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "payroll_run_id" integer;--> statement-breakpoint
ALTER TABLE "payroll_run_lines" ADD COLUMN "pledge_id" integer;--> statement-breakpoint
ALTER TABLE "payroll_run_lines" ADD COLUMN "kind" text DEFAULT 'employee' NOT NULL;--> statement-breakpoint
ALTER TABLE "payroll_run_lines" ADD COLUMN "change" text DEFAULT 'unchanged' NOT NULL;--> statement-breakpoint
ALTER TABLE "payroll_run_lines" ADD COLUMN "employee_number" text;--> statement-breakpoint
ALTER TABLE "payroll_run_lines" ADD COLUMN "employee_name" text;--> statement-breakpoint
ALTER TABLE "payroll_run_lines" ADD COLUMN "rate_tenths" integer;--> statement-breakpoint
ALTER TABLE "payroll_run_lines" ADD COLUMN "share_percent" integer DEFAULT 100 NOT NULL;--> statement-breakpoint
ALTER TABLE "payroll_run_lines" ADD COLUMN "reported_ore" bigint;--> statement-breakpoint
ALTER TABLE "payroll_runs" ADD COLUMN "programme_id" integer NOT NULL;--> statement-breakpoint
ALTER TABLE "payroll_runs" ADD COLUMN "confirmed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payroll_runs" ADD COLUMN "confirmed_by_person_id" integer;--> statement-breakpoint
ALTER TABLE "payroll_runs" ADD COLUMN "invoice_id" integer;--> statement-breakpoint
ALTER TABLE "payroll_runs" ADD COLUMN "employees_ore" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "payroll_runs" ADD COLUMN "match_ore" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "payroll_runs" ADD COLUMN "difference_ore" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "payroll_runs" ADD COLUMN "attempt" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "workplace_programmes" ADD COLUMN "goal_ids" integer[] DEFAULT '{}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "workplace_programmes" ADD COLUMN "match_mode" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "workplace_programmes" ADD COLUMN "match_percent" integer;--> statement-breakpoint
ALTER TABLE "workplace_programmes" ADD COLUMN "match_cap_ore" bigint;--> statement-breakpoint
ALTER TABLE "workplace_programmes" ADD COLUMN "match_pot_ore" bigint;--> statement-breakpoint
ALTER TABLE "workplace_programmes" ADD COLUMN "payroll_contact_person_id" integer;--> statement-breakpoint
ALTER TABLE "workplace_programmes" ADD COLUMN "payment_method" text DEFAULT 'bank' NOT NULL;--> statement-breakpoint
ALTER TABLE "workplace_programmes" ADD COLUMN "minimum_ore" bigint DEFAULT 5000 NOT NULL;--> statement-breakpoint
ALTER TABLE "workplace_programmes" ADD COLUMN "difference_rule" text DEFAULT 'ask_staff' NOT NULL;--> statement-breakpoint
ALTER TABLE "workplace_programmes" ADD COLUMN "status" text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "workplace_programmes" ADD COLUMN "demo" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "workplace_invites" ADD CONSTRAINT "workplace_invites_programme_id_workplace_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."workplace_programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workplace_invites" ADD CONSTRAINT "workplace_invites_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workplace_pledge_terms" ADD CONSTRAINT "workplace_pledge_terms_pledge_id_workplace_pledges_id_fk" FOREIGN KEY ("pledge_id") REFERENCES "public"."workplace_pledges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workplace_pledge_terms" ADD CONSTRAINT "workplace_pledge_terms_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workplace_pledges" ADD CONSTRAINT "workplace_pledges_programme_id_workplace_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."workplace_programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workplace_pledges" ADD CONSTRAINT "workplace_pledges_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "workplace_invites_live_uq" ON "workplace_invites" USING btree ("programme_id") WHERE "workplace_invites"."revoked_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "workplace_pledge_terms_pledge_month_uq" ON "workplace_pledge_terms" USING btree ("pledge_id","from_month");--> statement-breakpoint
CREATE UNIQUE INDEX "workplace_pledges_programme_person_uq" ON "workplace_pledges" USING btree ("programme_id","person_id");--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_payroll_run_id_payroll_runs_id_fk" FOREIGN KEY ("payroll_run_id") REFERENCES "public"."payroll_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payroll_run_lines" ADD CONSTRAINT "payroll_run_lines_pledge_id_workplace_pledges_id_fk" FOREIGN KEY ("pledge_id") REFERENCES "public"."workplace_pledges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payroll_runs" ADD CONSTRAINT "payroll_runs_programme_id_workplace_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."workplace_programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payroll_runs" ADD CONSTRAINT "payroll_runs_confirmed_by_person_id_people_id_fk" FOREIGN KEY ("confirmed_by_person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payroll_runs" ADD CONSTRAINT "payroll_runs_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workplace_programmes" ADD CONSTRAINT "workplace_programmes_payroll_contact_person_id_people_id_fk" FOREIGN KEY ("payroll_contact_person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invoices_payroll_run_idx" ON "invoices" USING btree ("payroll_run_id") WHERE "invoices"."payroll_run_id" is not null;--> statement-breakpoint
ALTER TABLE "payroll_run_lines" ADD CONSTRAINT "payroll_run_lines_reported_nonnegative" CHECK ("payroll_run_lines"."reported_ore" is null or "payroll_run_lines"."reported_ore" >= 0);--> statement-breakpoint
ALTER TABLE "payroll_run_lines" ADD CONSTRAINT "payroll_run_lines_kind_check" CHECK ("payroll_run_lines"."kind" in ('employee', 'match'));--> statement-breakpoint
ALTER TABLE "payroll_run_lines" ADD CONSTRAINT "payroll_run_lines_change_check" CHECK ("payroll_run_lines"."change" in ('new', 'changed', 'paused', 'stopped', 'unchanged'));--> statement-breakpoint
ALTER TABLE "payroll_run_lines" ADD CONSTRAINT "payroll_run_lines_share_range" CHECK ("payroll_run_lines"."share_percent" between 1 and 100);--> statement-breakpoint
ALTER TABLE "workplace_programmes" ADD CONSTRAINT "workplace_programmes_match_mode_check" CHECK ("workplace_programmes"."match_mode" in ('none', 'percent', 'pot'));--> statement-breakpoint
ALTER TABLE "workplace_programmes" ADD CONSTRAINT "workplace_programmes_match_percent_range" CHECK ("workplace_programmes"."match_percent" is null or "workplace_programmes"."match_percent" between 1 and 100);--> statement-breakpoint
ALTER TABLE "workplace_programmes" ADD CONSTRAINT "workplace_programmes_match_cap_nonnegative" CHECK ("workplace_programmes"."match_cap_ore" is null or "workplace_programmes"."match_cap_ore" >= 0);--> statement-breakpoint
ALTER TABLE "workplace_programmes" ADD CONSTRAINT "workplace_programmes_match_pot_nonnegative" CHECK ("workplace_programmes"."match_pot_ore" is null or "workplace_programmes"."match_pot_ore" >= 0);--> statement-breakpoint
ALTER TABLE "workplace_programmes" ADD CONSTRAINT "workplace_programmes_payment_method_check" CHECK ("workplace_programmes"."payment_method" in ('bank', 'stripe'));--> statement-breakpoint
ALTER TABLE "workplace_programmes" ADD CONSTRAINT "workplace_programmes_minimum_positive" CHECK ("workplace_programmes"."minimum_ore" > 0);--> statement-breakpoint
ALTER TABLE "workplace_programmes" ADD CONSTRAINT "workplace_programmes_difference_rule_check" CHECK ("workplace_programmes"."difference_rule" in ('carry', 'ask_staff'));--> statement-breakpoint
ALTER TABLE "workplace_programmes" ADD CONSTRAINT "workplace_programmes_status_check" CHECK ("workplace_programmes"."status" in ('active', 'closed'));