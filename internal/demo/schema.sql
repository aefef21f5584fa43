-- A small ERP-like schema with the shape of Frappe's tables: "tab" + DocType, a name primary
-- key, docstatus 0 draft / 1 submitted / 2 cancelled, modified, and a child table.
CREATE TABLE "tabIssue" (
  "name" varchar(140) PRIMARY KEY,
  "creation" timestamp(6) DEFAULT localtimestamp,
  "modified" timestamp(6) DEFAULT localtimestamp,
  "modified_by" varchar(140) DEFAULT 'Administrator',
  "owner" varchar(140) DEFAULT 'Administrator',
  "docstatus" smallint NOT NULL DEFAULT 0,
  "subject" varchar(140),
  "customer" varchar(140),
  "status" varchar(140) DEFAULT 'Open',
  "priority" varchar(140),
  "acknowledged" smallint NOT NULL DEFAULT 0,
  "_seen" text
);

CREATE TABLE "tabSales Invoice" (
  "name" varchar(140) PRIMARY KEY,
  "creation" timestamp(6) DEFAULT localtimestamp,
  "modified" timestamp(6) DEFAULT localtimestamp,
  "modified_by" varchar(140) DEFAULT 'Administrator',
  "owner" varchar(140) DEFAULT 'Administrator',
  "docstatus" smallint NOT NULL DEFAULT 0,
  "customer" varchar(140),
  "customer_name" text,
  "currency" varchar(140) DEFAULT 'EUR',
  "grand_total" decimal(21,9) NOT NULL DEFAULT 0,
  "due_date" date,
  "status" varchar(30) DEFAULT 'Draft'
);

CREATE TABLE "tabSales Invoice Item" (
  "name" varchar(140) PRIMARY KEY,
  "parent" varchar(140),
  "parentfield" varchar(140),
  "parenttype" varchar(140),
  "idx" bigint NOT NULL DEFAULT 0,
  "docstatus" smallint NOT NULL DEFAULT 0,
  "item_code" varchar(140),
  "item_name" varchar(140),
  "qty" decimal(21,9) NOT NULL DEFAULT 0,
  "rate" decimal(21,9) NOT NULL DEFAULT 0,
  "amount" decimal(21,9) NOT NULL DEFAULT 0
);

-- The metadata that says "items" of a Sales Invoice are Sales Invoice Item rows.
CREATE TABLE "tabDocField" (
  "name" varchar(255) PRIMARY KEY,
  "parent" varchar(255),
  "fieldname" varchar(255),
  "fieldtype" varchar(255),
  "options" text,
  "idx" bigint NOT NULL DEFAULT 0,
  "allow_on_submit" smallint NOT NULL DEFAULT 0
);
INSERT INTO "tabDocField" VALUES ('df-items', 'Sales Invoice', 'items', 'Table', 'Sales Invoice Item', 1, 0);
