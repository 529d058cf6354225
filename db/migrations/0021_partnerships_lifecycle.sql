CREATE TABLE "partner_tier_benefits" (
	"id" serial PRIMARY KEY NOT NULL,
	"tier" text NOT NULL,
	"position" integer NOT NULL,
	"text_sv" text NOT NULL,
	"text_en" text NOT NULL,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partnership_benefits" (
	"partnership_id" integer NOT NULL,
	"benefit_id" integer NOT NULL,
	"delivered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"by_person_id" integer,
	CONSTRAINT "partnership_benefits_partnership_id_benefit_id_pk" PRIMARY KEY("partnership_id","benefit_id")
);
--> statement-breakpoint
CREATE TABLE "partnership_renewal_notices" (
	"partnership_id" integer NOT NULL,
	"ends_on" date NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recipients" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "partnership_renewal_notices_partnership_id_ends_on_pk" PRIMARY KEY("partnership_id","ends_on")
);
--> statement-breakpoint
ALTER TABLE "partnerships" ADD COLUMN "source" text DEFAULT 'staff' NOT NULL;--> statement-breakpoint
ALTER TABLE "partnerships" ADD COLUMN "is_public" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "partnerships" ADD COLUMN "signed_off_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "partnerships" ADD COLUMN "signed_off_by_person_id" integer;--> statement-breakpoint
ALTER TABLE "partnerships" ADD COLUMN "sign_off_note" text;--> statement-breakpoint
ALTER TABLE "partnerships" ADD COLUMN "sign_off_expires_on" date;--> statement-breakpoint
ALTER TABLE "partnerships" ADD COLUMN "renews_partnership_id" integer;--> statement-breakpoint
ALTER TABLE "partnerships" ADD COLUMN "note" text;--> statement-breakpoint
ALTER TABLE "partnerships" ADD COLUMN "demo" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "partner_tier_benefits" ADD CONSTRAINT "partner_tier_benefits_tier_partner_tiers_slug_fk" FOREIGN KEY ("tier") REFERENCES "public"."partner_tiers"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnership_benefits" ADD CONSTRAINT "partnership_benefits_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnership_benefits" ADD CONSTRAINT "partnership_benefits_benefit_id_partner_tier_benefits_id_fk" FOREIGN KEY ("benefit_id") REFERENCES "public"."partner_tier_benefits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnership_benefits" ADD CONSTRAINT "partnership_benefits_by_person_id_people_id_fk" FOREIGN KEY ("by_person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnership_renewal_notices" ADD CONSTRAINT "partnership_renewal_notices_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "partner_tier_benefits_tier_idx" ON "partner_tier_benefits" USING btree ("tier","position");--> statement-breakpoint
ALTER TABLE "partnerships" ADD CONSTRAINT "partnerships_signed_off_by_person_id_people_id_fk" FOREIGN KEY ("signed_off_by_person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnerships" ADD CONSTRAINT "partnerships_renews_partnership_id_partnerships_id_fk" FOREIGN KEY ("renews_partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "partnerships_status_ends_idx" ON "partnerships" USING btree ("status","ends_on");--> statement-breakpoint
CREATE UNIQUE INDEX "partnerships_renews_idx" ON "partnerships" USING btree ("renews_partnership_id") WHERE "partnerships"."renews_partnership_id" is not null and "partnerships"."status" <> 'declined';--> statement-breakpoint
ALTER TABLE "partnerships" ADD CONSTRAINT "partnerships_source_check" CHECK ("partnerships"."source" in ('staff', 'signup'));--> statement-breakpoint
ALTER TABLE "partnerships" ADD CONSTRAINT "partnerships_sign_off_has_expiry" CHECK ("partnerships"."signed_off_at" is null or "partnerships"."sign_off_expires_on" is not null);