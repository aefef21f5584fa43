// Package erpimport turns the ERP's own Notification records into a walnotify configuration:
// `walnotify import` reads tabNotification with its "tabNotification Recipient" rows, the chat
// destinations ("tabSlack Webhook URL" on Frappe and ERPNext, "tabIncoming Webhook URL" with its
// service on Dokos) and tabWebhook (with "tabWebhook Header" and "tabWebhook Data"), and writes
// TOML that `walnotify check` accepts, with the ERP's field names.
//
// Webhook URLs and secrets are never written: each becomes a ${WALNOTIFY_<NAME>_URL} reference,
// and a comment at the top lists the variables to set (the values stay in the ERP). A record that
// cannot be carried (the Email and SMS channels, the Method event, a condition that queries the
// database, anything walnotify's validation refuses) is written as a commented block that names
// it and the reason, so nothing is lost silently. Every carried record is validated with the
// same code as `walnotify check` (rules.Parse) before it is written.
//
// The package only reads the ERP's tables, through any erpdb.Querier; it sits beside the
// configuration (package rules) and is used by one command.
package erpimport
