CREATE TABLE "partner_signups" (
	"id" serial PRIMARY KEY NOT NULL,
	"partnership_id" integer NOT NULL,
	"organisation_id" integer NOT NULL,
	"contact_person_id" integer,
	"contact_email" text NOT NULL,
	"terms_version" integer NOT NULL,
	"terms_accepted_at" timestamp with time zone NOT NULL,
	"payment_method" text NOT NULL,
	"invoice_id" integer,
	"payment_id" bigint,
	"locale" text DEFAULT 'sv' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "partner_signups_partnership_id_unique" UNIQUE("partnership_id"),
	CONSTRAINT "partner_signups_payment_method_check" CHECK ("partner_signups"."payment_method" in ('bank_invoice', 'stripe_invoice', 'card'))
);
--> statement-breakpoint
CREATE TABLE "partner_terms" (
	"version" integer PRIMARY KEY NOT NULL,
	"body_sv" text NOT NULL,
	"body_en" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_by" integer,
	"demo" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "partnership_id" integer;--> statement-breakpoint
ALTER TABLE "partner_signups" ADD CONSTRAINT "partner_signups_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_signups" ADD CONSTRAINT "partner_signups_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_signups" ADD CONSTRAINT "partner_signups_contact_person_id_people_id_fk" FOREIGN KEY ("contact_person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_signups" ADD CONSTRAINT "partner_signups_terms_version_partner_terms_version_fk" FOREIGN KEY ("terms_version") REFERENCES "public"."partner_terms"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_signups" ADD CONSTRAINT "partner_signups_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_signups" ADD CONSTRAINT "partner_signups_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_terms" ADD CONSTRAINT "partner_terms_published_by_people_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "partner_signups_organisation_idx" ON "partner_signups" USING btree ("organisation_id");--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;