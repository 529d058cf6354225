ALTER TABLE "payments" DROP CONSTRAINT "payments_origin_check";--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "credited_ore" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "reference" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "organisation_id" integer;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_credited_range" CHECK ("payments"."credited_ore" >= 0 and "payments"."credited_ore" <= "payments"."amount_ore");--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_origin_check" CHECK ("payments"."origin" in ('app', 'external', 'demo', 'bank'));