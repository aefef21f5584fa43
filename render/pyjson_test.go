package render

import (
	"os/exec"
	"strings"
	"testing"
)

// Dumps(ParseJSON(s)) is byte for byte what Python's json.dumps(json.loads(s), default=str)
// writes, checked against python3 itself.
func TestDumpsIsPythonsJSONDumps(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal("python3 is needed for this test: ", err)
	}
	inputs := []string{
		`{"name": "SINV-0001", "total": 1180.0, "qty": 3, "ok": true, "none": null}`,
		`{"z": 1, "a": 2, "m": {"y": [1, 2.5, "x"], "b": {}}, "l": []}`,
		`{"dup": 1, "other": 2, "dup": 3}`,
		`{"text": "Café \"quoted\" \\ back <b>&'\u0007\b\f\n\r\t\u007f\u00e9 😀"}`,
		`[1e400, -1e400, 1e-400, 1.5e10, 1e16, 0.1, 100.0, 123456789012345678901234567890, -0]`,
		`"just a string"`,
	}
	for _, in := range inputs {
		v, err := ParseJSON(in)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		got, err := Dumps(v)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		cmd := exec.Command(python, "-c", "import json,sys; sys.stdout.write(json.dumps(json.loads(sys.stdin.read()), default=str))")
		cmd.Stdin = strings.NewReader(in)
		want, err := cmd.Output()
		if err != nil {
			t.Fatalf("python3: %v", err)
		}
		if got != string(want) {
			t.Errorf("Dumps(%s)\n got %s\nwant %s", in, got, want)
		}
	}
}

func TestParseJSONRefusesWhatPythonRefuses(t *testing.T) {
	for _, in := range []string{`{"a": 1,}`, `{"a": 1} {}`, `{'a': 1}`, ``} {
		if _, err := ParseJSON(in); err == nil {
			t.Errorf("ParseJSON(%q) accepted", in)
		}
	}
}

func TestDumpsOfAMapSortsAndTextsWhatJSONCannotHold(t *testing.T) {
	type odd struct{ A int }
	got, err := Dumps(map[string]any{"b": odd{1}, "a": int64(2)})
	if err != nil || got != `{"a": 2, "b": "{1}"}` {
		t.Errorf("Dumps = %s, %v", got, err)
	}
}
