CREATE TABLE "payment_anomaly_resolutions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"anomaly_id" bigint NOT NULL,
	"note" text NOT NULL,
	"author" text NOT NULL,
	"person_id" integer,
	"correction_group" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_kind_check";--> statement-breakpoint
ALTER TABLE "payment_anomaly_resolutions" ADD CONSTRAINT "payment_anomaly_resolutions_anomaly_id_payment_anomalies_id_fk" FOREIGN KEY ("anomaly_id") REFERENCES "public"."payment_anomalies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_anomaly_resolutions" ADD CONSTRAINT "payment_anomaly_resolutions_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "payment_anomaly_resolutions_anomaly_uq" ON "payment_anomaly_resolutions" USING btree ("anomaly_id");--> statement-breakpoint
CREATE INDEX "payment_anomaly_resolutions_created_idx" ON "payment_anomaly_resolutions" USING btree ("created_at");--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_kind_check" CHECK ("ledger_entries"."kind" in ('allocation', 'reversal', 'correction', 'reallocation'));