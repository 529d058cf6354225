CREATE TABLE "bookkeeping_accounts" (
	"purpose" text PRIMARY KEY NOT NULL,
	"account" text NOT NULL,
	"name" text NOT NULL,
	"updated_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bookkeeping_accounts_four_digits" CHECK ("bookkeeping_accounts"."account" ~ '^[0-9]{4}$')
);
--> statement-breakpoint
CREATE TABLE "donor_consents" (
	"id" serial PRIMARY KEY NOT NULL,
	"person_id" integer NOT NULL,
	"purpose" text DEFAULT 'contact' NOT NULL,
	"given_at" timestamp with time zone NOT NULL,
	"withdrawn_at" timestamp with time zone,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "donor_consents_purpose_check" CHECK ("donor_consents"."purpose" in ('contact'))
);
--> statement-breakpoint
ALTER TABLE "bookkeeping_accounts" ADD CONSTRAINT "bookkeeping_accounts_updated_by_people_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "donor_consents" ADD CONSTRAINT "donor_consents_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "donor_consents_person_purpose_uq" ON "donor_consents" USING btree ("person_id","purpose");--> statement-breakpoint
CREATE INDEX "donor_consents_live_idx" ON "donor_consents" USING btree ("purpose") WHERE "donor_consents"."withdrawn_at" is null;