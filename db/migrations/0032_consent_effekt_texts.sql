CREATE TABLE "gift_consents" (
	"payment_id" bigint PRIMARY KEY NOT NULL,
	"purpose" text DEFAULT 'contact' NOT NULL,
	"asked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"wording" text NOT NULL,
	CONSTRAINT "gift_consents_purpose_check" CHECK ("gift_consents"."purpose" in ('contact'))
);
--> statement-breakpoint
CREATE TABLE "effekt_texts" (
	"year" integer NOT NULL,
	"section" text NOT NULL,
	"body" text NOT NULL,
	"updated_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "effekt_texts_year_section_pk" PRIMARY KEY("year","section"),
	CONSTRAINT "effekt_texts_section_check" CHECK ("effekt_texts"."section" in ('aim', 'strategies', 'capacity', 'progress', 'achieved')),
	CONSTRAINT "effekt_texts_year_check" CHECK ("effekt_texts"."year" between 2000 and 2100)
);
--> statement-breakpoint
ALTER TABLE "gift_consents" ADD CONSTRAINT "gift_consents_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "effekt_texts" ADD CONSTRAINT "effekt_texts_updated_by_people_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;