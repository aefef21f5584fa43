package render

import (
	"errors"

	"github.com/nikolalohinski/gonja/v2/exec"

	"walnotify/internal/sitefmt"
)

// frenchTexts are the ERP's French translations (Frappe's and Dodock's fr translations) of the
// common words Notification templates pass to _(): document statuses, yes/no and a few field
// labels. The table is short on purpose: walnotify cannot read the ERP's translation files,
// and a text it does not list is returned unchanged, as the ERP returns a text it has no
// translation for.
var frenchTexts = map[string]string{
	"Draft":       "Brouillon",
	"Submitted":   "Soumis",
	"Cancelled":   "Annulé",
	"Open":        "Ouvert",
	"Closed":      "Fermé",
	"Paid":        "Payé",
	"Unpaid":      "Impayé",
	"Overdue":     "En retard",
	"Pending":     "En attente",
	"Yes":         "Oui",
	"No":          "Non",
	"Status":      "Statut",
	"Date":        "Date",
	"Total":       "Total",
	"Amount":      "Montant",
	"Customer":    "Client",
	"Supplier":    "Fournisseur",
	"Subject":     "Sujet",
	"Description": "Description",
	"Details":     "Détails",
	"Name":        "Nom",
	"Hello":       "Bonjour",
	"Thank you":   "Merci",
}

// translate is _(text): on a French site, the text's French translation when the table above
// has one; the text as written otherwise.
func translate(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	if len(va.Args) == 0 {
		return nil, errors.New("_(): missing the text to translate")
	}
	v := va.Args[0]
	if v.IsString() {
		return stateOf(e.Environment.Context).translated(v.String()), nil
	}
	return v.Interface(), nil
}

// translated is _(s) of a text: its French translation on a French site when the table above
// has one, the text as written otherwise.
func (st *state) translated(s string) string {
	if sitefmt.IsFrench(st.site.Language) {
		if fr, ok := frenchTexts[s]; ok {
			return fr
		}
	}
	return s
}
