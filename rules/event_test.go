package rules

import "testing"

func TestParseEventReadsTheFormsLabels(t *testing.T) {
	tests := map[string]Event{
		"New": New, "save": Save, "Submit": Submit, "Cancel": Cancel, " Value Change ": ValueChange,
		"Days Before": DaysBefore, "Days After": DaysAfter, "Delete": Delete,
		"Nouveau": New, "Enregistrer": Save, "Valider": Submit, "Annuler": Cancel,
		"Changement de valeur": ValueChange, "changement de VALEUR": ValueChange,
		"Jours avant": DaysBefore, "Jours après": DaysAfter, "JOURS APRÈS": DaysAfter,
	}
	for name, want := range tests {
		if got, err := ParseEvent(name); err != nil || got != want {
			t.Errorf("ParseEvent(%q) = %v, %v; want %v", name, got, err, want)
		}
	}
	if _, err := ParseEvent("Jours"); err == nil {
		t.Error(`"Jours" was accepted`)
	}
	if got := DaysAfter.String(); got != "Days After" {
		t.Errorf("String() = %q: events print in English", got)
	}
}
