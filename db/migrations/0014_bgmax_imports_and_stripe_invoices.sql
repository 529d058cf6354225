CREATE TABLE "bgmax_imports" (
	"id" serial PRIMARY KEY NOT NULL,
	"file_sha256" text NOT NULL,
	"file_name" text,
	"file_created_at" text NOT NULL,
	"test" boolean DEFAULT false NOT NULL,
	"imported_by" text NOT NULL,
	"imported_by_name" text NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deposits" integer NOT NULL,
	"payments" integer NOT NULL,
	"total_ore" bigint NOT NULL,
	"booked_ore" bigint NOT NULL,
	"matched" integer NOT NULL,
	"partial" integer NOT NULL,
	"overpaid" integer NOT NULL,
	"unmatched" integer NOT NULL,
	"duplicates" integer NOT NULL,
	CONSTRAINT "bgmax_imports_file_sha256_unique" UNIQUE("file_sha256")
);
--> statement-breakpoint
CREATE TABLE "bgmax_payments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"import_id" integer NOT NULL,
	"key" text NOT NULL,
	"payee_bankgiro" text NOT NULL,
	"payment_date" text NOT NULL,
	"deposit_serial" text NOT NULL,
	"bgc_serial" text NOT NULL,
	"kind" text NOT NULL,
	"reference" text NOT NULL,
	"reference_code" integer NOT NULL,
	"amount_ore" bigint NOT NULL,
	"payer_name" text,
	"information" text,
	"outcome" text NOT NULL,
	"reason" text,
	"invoice_id" integer,
	"booked_ore" bigint DEFAULT 0 NOT NULL,
	"open_ore" bigint DEFAULT 0 NOT NULL,
	"resolution" text,
	"resolved_invoice_id" integer,
	"resolved_payment_id" bigint,
	"note" text,
	"resolved_by" text,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bgmax_payments_key_unique" UNIQUE("key"),
	CONSTRAINT "bgmax_payments_outcome_check" CHECK ("bgmax_payments"."outcome" in ('matched', 'partial', 'overpaid', 'unmatched')),
	CONSTRAINT "bgmax_payments_kind_check" CHECK ("bgmax_payments"."kind" in ('payment', 'deduction')),
	CONSTRAINT "bgmax_payments_resolution_check" CHECK ("bgmax_payments"."resolution" is null or "bgmax_payments"."resolution" in ('invoice', 'gift', 'handled')),
	CONSTRAINT "bgmax_payments_amounts" CHECK ("bgmax_payments"."amount_ore" >= 0 and "bgmax_payments"."booked_ore" >= 0 and "bgmax_payments"."open_ore" >= 0 and "bgmax_payments"."booked_ore" + "bgmax_payments"."open_ore" <= "bgmax_payments"."amount_ore")
);
--> statement-breakpoint
CREATE TABLE "stripe_customers" (
	"organisation_id" integer PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stripe_customers_customer_id_unique" UNIQUE("customer_id")
);
--> statement-breakpoint
CREATE TABLE "stripe_invoice_deliveries" (
	"invoice_id" integer PRIMARY KEY NOT NULL,
	"idempotency_root" uuid DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" text,
	"stripe_invoice_id" text,
	"hosted_invoice_url" text,
	"sent_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"paid_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stripe_invoice_deliveries_stripe_invoice_id_unique" UNIQUE("stripe_invoice_id")
);
--> statement-breakpoint
ALTER TABLE "bgmax_payments" ADD CONSTRAINT "bgmax_payments_import_id_bgmax_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."bgmax_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bgmax_payments" ADD CONSTRAINT "bgmax_payments_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bgmax_payments" ADD CONSTRAINT "bgmax_payments_resolved_invoice_id_invoices_id_fk" FOREIGN KEY ("resolved_invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bgmax_payments" ADD CONSTRAINT "bgmax_payments_resolved_payment_id_payments_id_fk" FOREIGN KEY ("resolved_payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stripe_customers" ADD CONSTRAINT "stripe_customers_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stripe_invoice_deliveries" ADD CONSTRAINT "stripe_invoice_deliveries_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bgmax_payments_open_idx" ON "bgmax_payments" USING btree ("resolved_at","outcome");--> statement-breakpoint
CREATE INDEX "bgmax_payments_import_idx" ON "bgmax_payments" USING btree ("import_id");