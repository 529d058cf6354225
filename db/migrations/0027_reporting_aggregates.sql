CREATE TABLE "gift_daily" (
	"goal_id" integer,
	"channel" text NOT NULL,
	"day" date NOT NULL,
	"slot" smallint DEFAULT 0 NOT NULL,
	"gifts" integer NOT NULL,
	"amount_ore" bigint NOT NULL,
	CONSTRAINT "gift_daily_key" UNIQUE NULLS NOT DISTINCT("goal_id","channel","day","slot")
);
--> statement-breakpoint
CREATE TABLE "ledger_daily" (
	"goal_id" integer NOT NULL,
	"channel" text NOT NULL,
	"day" date NOT NULL,
	"slot" smallint DEFAULT 0 NOT NULL,
	"amount_ore" bigint NOT NULL,
	"entries" integer NOT NULL,
	CONSTRAINT "ledger_daily_goal_id_channel_day_slot_pk" PRIMARY KEY("goal_id","channel","day","slot")
);
--> statement-breakpoint
ALTER TABLE "gift_daily" ADD CONSTRAINT "gift_daily_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_daily" ADD CONSTRAINT "ledger_daily_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "gift_daily_day_idx" ON "gift_daily" USING btree ("day");--> statement-breakpoint
CREATE INDEX "ledger_daily_day_idx" ON "ledger_daily" USING btree ("day");