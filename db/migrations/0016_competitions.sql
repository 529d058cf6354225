CREATE TABLE "competition_goals" (
	"competition_id" integer NOT NULL,
	"goal_id" integer NOT NULL,
	CONSTRAINT "competition_goals_competition_id_goal_id_pk" PRIMARY KEY("competition_id","goal_id")
);
--> statement-breakpoint
ALTER TABLE "competition_teams" ADD COLUMN "invited_count" integer;--> statement-breakpoint
ALTER TABLE "competitions" ADD COLUMN "description" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "competitions" ADD COLUMN "target_ore" bigint;--> statement-breakpoint
ALTER TABLE "competitions" ADD COLUMN "match_pot_ore" bigint;--> statement-breakpoint
ALTER TABLE "competitions" ADD COLUMN "match_sponsor_name" text;--> statement-breakpoint
ALTER TABLE "competitions" ADD COLUMN "match_unlocked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "competitions" ADD COLUMN "invite_code" text NOT NULL;--> statement-breakpoint
ALTER TABLE "competitions" ADD COLUMN "results_sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "competition_goals" ADD CONSTRAINT "competition_goals_competition_id_competitions_id_fk" FOREIGN KEY ("competition_id") REFERENCES "public"."competitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competition_goals" ADD CONSTRAINT "competition_goals_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "competitions_ends_idx" ON "competitions" USING btree ("ends_at");--> statement-breakpoint
ALTER TABLE "competitions" ADD CONSTRAINT "competitions_invite_code_unique" UNIQUE("invite_code");--> statement-breakpoint
ALTER TABLE "competition_teams" ADD CONSTRAINT "competition_teams_invited_positive" CHECK ("competition_teams"."invited_count" is null or "competition_teams"."invited_count" > 0);--> statement-breakpoint
ALTER TABLE "competitions" ADD CONSTRAINT "competitions_target_positive" CHECK ("competitions"."target_ore" is null or "competitions"."target_ore" > 0);--> statement-breakpoint
ALTER TABLE "competitions" ADD CONSTRAINT "competitions_match_needs_target" CHECK ("competitions"."match_pot_ore" is null or ("competitions"."match_pot_ore" > 0 and "competitions"."target_ore" is not null));