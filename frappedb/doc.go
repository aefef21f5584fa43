// Package frappedb reads the ERP's tables as the ERP's read calls do: frappe.db.get_value,
// get_single_value, exists and count, frappe.get_all and get_list, frappe.get_doc and
// get_cached_doc, frappe.utils.get_fullname.
//
// It sits between the two places admins write those calls, templates (package render) and
// conditions (package rules/condition), and the database (package erpdb). Each call's
// arguments, as plain values (text, numbers, None, lists, dicts), are read as the ERP reads them
// (a name, a dict or a list of filters; fields as text or a list) into a Query; a Lookup runs
// it; the rows come back shaped as the ERP gives them (a value, a Tuple, a Row for as_dict, a
// list, a document).
//
// A Session makes the reads of one rendering or one condition's evaluation: each answer is kept
// for the rest of it, and the reads are bounded in number, rows and time.
//
// What it refuses to do: write (frappe.db.set_value, frappe.new_doc, a get_doc of a dict), run
// SQL (frappe.db.sql), or narrow get_list by a user's permissions, which walnotify has no user
// for; and it makes no SQL itself: names and values reach the Lookup as a Query, never as text.
package frappedb
