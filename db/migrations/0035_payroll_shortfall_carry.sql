ALTER TABLE "invoices" DROP CONSTRAINT "invoices_status_check";--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "carried_ore" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "carried_to_invoice_id" integer;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_carried_to_invoice_id_invoices_id_fk" FOREIGN KEY ("carried_to_invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invoices_carried_to_idx" ON "invoices" USING btree ("carried_to_invoice_id") WHERE "invoices"."carried_to_invoice_id" is not null;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_carried_consistent" CHECK (("invoices"."carried_ore" = 0 and "invoices"."carried_to_invoice_id" is null) or ("invoices"."carried_ore" > 0 and "invoices"."carried_to_invoice_id" is not null and "invoices"."carried_ore" + "invoices"."paid_ore" >= "invoices"."total_ore"));--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_status_check" CHECK ("invoices"."status" in ('draft', 'sent', 'paid', 'partly_paid', 'overdue', 'void', 'credited', 'carried'));