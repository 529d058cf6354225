CREATE TABLE "collection_milestones" (
	"collection_id" integer NOT NULL,
	"percent" integer NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "collection_milestones_percent_check" CHECK ("collection_milestones"."percent" in (25, 50, 75, 100))
);
--> statement-breakpoint
CREATE TABLE "collection_reports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"collection_id" integer NOT NULL,
	"reason" text NOT NULL,
	"reporter_email" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"handled_at" timestamp with time zone,
	"handled_by_person_id" integer
);
--> statement-breakpoint
CREATE TABLE "collection_summaries" (
	"collection_id" integer PRIMARY KEY NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "greeting_hidden_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "greeting_hidden_reason" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "greeting_hidden_by_person_id" integer;--> statement-breakpoint
ALTER TABLE "collections" ADD COLUMN "hidden_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "collections" ADD COLUMN "hidden_reason" text;--> statement-breakpoint
ALTER TABLE "collections" ADD COLUMN "hidden_by_person_id" integer;--> statement-breakpoint
ALTER TABLE "collection_milestones" ADD CONSTRAINT "collection_milestones_collection_id_collections_id_fk" FOREIGN KEY ("collection_id") REFERENCES "public"."collections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_reports" ADD CONSTRAINT "collection_reports_collection_id_collections_id_fk" FOREIGN KEY ("collection_id") REFERENCES "public"."collections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_reports" ADD CONSTRAINT "collection_reports_handled_by_person_id_people_id_fk" FOREIGN KEY ("handled_by_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_summaries" ADD CONSTRAINT "collection_summaries_collection_id_collections_id_fk" FOREIGN KEY ("collection_id") REFERENCES "public"."collections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "collection_milestones_uq" ON "collection_milestones" USING btree ("collection_id","percent");--> statement-breakpoint
CREATE INDEX "collection_reports_open_idx" ON "collection_reports" USING btree ("handled_at","created_at");--> statement-breakpoint
CREATE INDEX "collection_reports_collection_idx" ON "collection_reports" USING btree ("collection_id");--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_greeting_hidden_by_person_id_people_id_fk" FOREIGN KEY ("greeting_hidden_by_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collections" ADD CONSTRAINT "collections_hidden_by_person_id_people_id_fk" FOREIGN KEY ("hidden_by_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;