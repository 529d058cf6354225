CREATE TABLE "goals" (
	"id" serial PRIMARY KEY NOT NULL,
	"number" integer NOT NULL,
	"slug" text NOT NULL,
	"title_sv" text NOT NULL,
	"title_en" text NOT NULL,
	"lead_sv" text DEFAULT '' NOT NULL,
	"lead_en" text DEFAULT '' NOT NULL,
	"about_sv" text DEFAULT '' NOT NULL,
	"about_en" text DEFAULT '' NOT NULL,
	"today_sv" text DEFAULT '' NOT NULL,
	"today_en" text DEFAULT '' NOT NULL,
	"more_sv" text DEFAULT '' NOT NULL,
	"more_en" text DEFAULT '' NOT NULL,
	"sdgs" integer[] DEFAULT '{}' NOT NULL,
	"target_ore" bigint,
	"draft" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goals_number_unique" UNIQUE("number"),
	CONSTRAINT "goals_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "partner_tiers" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name_sv" text NOT NULL,
	"name_en" text NOT NULL,
	"rank" integer NOT NULL,
	"min_yearly_ore" bigint,
	CONSTRAINT "partner_tiers_slug_unique" UNIQUE("slug"),
	CONSTRAINT "partner_tiers_rank_unique" UNIQUE("rank")
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"goal_id" integer NOT NULL,
	"amount_ore" bigint NOT NULL,
	"channel" text NOT NULL,
	"kind" text DEFAULT 'allocation' NOT NULL,
	"payment_id" bigint,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_entries_kind_check" CHECK ("ledger_entries"."kind" in ('allocation', 'reversal', 'correction'))
);
--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_entries_goal_idx" ON "ledger_entries" USING btree ("goal_id");--> statement-breakpoint
CREATE INDEX "ledger_entries_payment_idx" ON "ledger_entries" USING btree ("payment_id");