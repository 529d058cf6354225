CREATE TABLE "impact_figures" (
	"id" serial PRIMARY KEY NOT NULL,
	"goal_id" integer NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"value" numeric(14, 2) NOT NULL,
	"value_to" numeric(14, 2),
	"unit_sv" text NOT NULL,
	"unit_en" text NOT NULL,
	"label_sv" text NOT NULL,
	"label_en" text NOT NULL,
	"method" text NOT NULL,
	"source" text DEFAULT '' NOT NULL,
	"demo" boolean DEFAULT false NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "impact_figures_method_check" CHECK ("impact_figures"."method" in ('measured', 'estimated')),
	CONSTRAINT "impact_figures_period_check" CHECK ("impact_figures"."period_end" >= "impact_figures"."period_start"),
	CONSTRAINT "impact_figures_value_check" CHECK ("impact_figures"."value" >= 0 and ("impact_figures"."value_to" is null or "impact_figures"."value_to" >= "impact_figures"."value"))
);
--> statement-breakpoint
CREATE TABLE "yearly_costs" (
	"year" integer PRIMARY KEY NOT NULL,
	"purpose_ore" bigint NOT NULL,
	"fundraising_ore" bigint NOT NULL,
	"administration_ore" bigint NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"updated_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "yearly_costs_nonnegative" CHECK ("yearly_costs"."purpose_ore" >= 0 and "yearly_costs"."fundraising_ore" >= 0 and "yearly_costs"."administration_ore" >= 0),
	CONSTRAINT "yearly_costs_year_check" CHECK ("yearly_costs"."year" between 2000 and 2100)
);
--> statement-breakpoint
ALTER TABLE "impact_figures" ADD CONSTRAINT "impact_figures_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "impact_figures" ADD CONSTRAINT "impact_figures_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "yearly_costs" ADD CONSTRAINT "yearly_costs_updated_by_people_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "impact_figures_goal_idx" ON "impact_figures" USING btree ("goal_id","period_end");