CREATE TABLE "crm_interactions" (
	"id" serial PRIMARY KEY NOT NULL,
	"organisation_id" integer NOT NULL,
	"kind" text NOT NULL,
	"occurred_on" date NOT NULL,
	"author_person_id" integer,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "crm_interactions_kind_check" CHECK ("crm_interactions"."kind" in ('call', 'meeting', 'email', 'note')),
	CONSTRAINT "crm_interactions_text_present" CHECK (length(btrim("crm_interactions"."text")) > 0)
);
--> statement-breakpoint
CREATE TABLE "crm_tasks" (
	"id" serial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"due_on" date NOT NULL,
	"assignee_person_id" integer NOT NULL,
	"organisation_id" integer,
	"done_at" timestamp with time zone,
	"done_by_person_id" integer,
	"created_by" integer,
	"reminder_sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "crm_tasks_title_present" CHECK (length(btrim("crm_tasks"."title")) > 0),
	CONSTRAINT "crm_tasks_done_by_only_when_done" CHECK ("crm_tasks"."done_at" is not null or "crm_tasks"."done_by_person_id" is null)
);
--> statement-breakpoint
ALTER TABLE "crm_interactions" ADD CONSTRAINT "crm_interactions_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_interactions" ADD CONSTRAINT "crm_interactions_author_person_id_people_id_fk" FOREIGN KEY ("author_person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_tasks" ADD CONSTRAINT "crm_tasks_assignee_person_id_people_id_fk" FOREIGN KEY ("assignee_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_tasks" ADD CONSTRAINT "crm_tasks_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_tasks" ADD CONSTRAINT "crm_tasks_done_by_person_id_people_id_fk" FOREIGN KEY ("done_by_person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_tasks" ADD CONSTRAINT "crm_tasks_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "crm_interactions_organisation_idx" ON "crm_interactions" USING btree ("organisation_id","occurred_on");--> statement-breakpoint
CREATE INDEX "crm_tasks_assignee_due_idx" ON "crm_tasks" USING btree ("assignee_person_id","due_on");--> statement-breakpoint
CREATE INDEX "crm_tasks_organisation_idx" ON "crm_tasks" USING btree ("organisation_id");