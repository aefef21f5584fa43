// Package rules turns the admin's TOML file into compiled notifications and decides, for each
// row change, which of them fire.
//
// It holds the configuration types and their validation (every problem reported at once, each
// with where it lives), the event classification of SPEC section 3 (New, Save, Submit, Cancel,
// Value Change, Delete), and the Engine that evaluates compiled conditions against a row.
// Conditions and templates are compiled when the file loads, so a mistake is a config error,
// never a surprise at 3 a.m.
//
// rules reads cdc.Change values and uses render to compile templates; it does no I/O besides
// reading the config file, and knows nothing of delivery.
package rules
