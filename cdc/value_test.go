package cdc

import (
	"math"
	"reflect"
	"testing"
)

func TestDecodeValue(t *testing.T) {
	tests := []struct {
		name string
		oid  uint32
		text string
		want any
	}{
		{"smallint is int64", oidInt2, "1", int64(1)},
		{"negative integer is int64", oidInt4, "-2147483648", int64(-2147483648)},
		{"bigint is int64", oidInt8, "9223372036854775807", int64(9223372036854775807)},
		{"oid is int64", oidOID, "4294967295", int64(4294967295)},
		{"numeric is float64", oidNumeric, "45000.500000000", 45000.5},
		{"negative numeric is float64", oidNumeric, "-0.000000001", -0.000000001},
		{"numeric beyond float64 is infinity", oidNumeric, "1e400", math.Inf(1)},
		{"numeric Infinity", oidNumeric, "Infinity", math.Inf(1)},
		{"numeric -Infinity", oidNumeric, "-Infinity", math.Inf(-1)},
		{"real keeps its shortest decimal", oidFloat4, "1.1", 1.1},
		{"double precision", oidFloat8, "2.718281828459045", 2.718281828459045},
		{"double -Infinity", oidFloat8, "-Infinity", math.Inf(-1)},
		{"true", oidBool, "t", true},
		{"false", oidBool, "f", false},
		{"date stays ISO text", oidDate, "2025-03-14", "2025-03-14"},
		{"infinity date stays text", oidDate, "infinity", "infinity"},
		{"-infinity date stays text", oidDate, "-infinity", "-infinity"},
		{"BC date stays text", oidDate, "0044-03-15 BC", "0044-03-15 BC"},
		{"timestamp stays ISO text", oidTimestamp, "2025-03-14 09:00:00.123456", "2025-03-14 09:00:00.123456"},
		{"timestamp without fraction", oidTimestamp, "2025-03-14 09:00:00", "2025-03-14 09:00:00"},
		{"timestamptz in UTC loses its offset", oidTimestamptz, "2025-03-14 09:00:00.5+00", "2025-03-14 09:00:00.5"},
		{"timestamptz with an offset is converted to UTC", oidTimestamptz, "2025-03-14 09:00:00.25+05:30", "2025-03-14 03:30:00.25"},
		{"timestamptz with a negative offset crosses midnight", oidTimestamptz, "2025-03-14 23:00:00-02", "2025-03-15 01:00:00"},
		{"timestamptz with seconds in the offset", oidTimestamptz, "1900-01-01 00:00:00+00:09:21", "1899-12-31 23:50:39"},
		{"infinity timestamptz stays text", oidTimestamptz, "infinity", "infinity"},
		{"BC timestamptz stays text", oidTimestamptz, "0044-03-15 12:00:00+00 BC", "0044-03-15 12:00:00+00 BC"},
		{"jsonb object is a map with float64 numbers", oidJSONB, `{"a": 1, "b": [true, null, "x"]}`, map[string]any{"a": 1.0, "b": []any{true, nil, "x"}}},
		{"json array is a slice", oidJSON, `[1, "two", {"three": 3}]`, []any{1.0, "two", map[string]any{"three": 3.0}}},
		{"json scalar", oidJSONB, `"text"`, "text"},
		{"json null is nil", oidJSONB, `null`, nil},
		{"text", 25, "O'Brien <b>", "O'Brien <b>"},
		{"varchar", 1043, "ISS-0001", "ISS-0001"},
		{"uuid stays text", 2950, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
		{"time stays text", 1083, "09:00:00", "09:00:00"},
		{"array stays text", 1007, "{1,2,NULL}", "{1,2,NULL}"},
		{"bytea stays text", 17, `\xdeadbeef`, `\xdeadbeef`},
		{"unknown type (enum) stays text", 99999, "High", "High"},
		{"unparsable integer stays text", oidInt4, "12x", "12x"},
		{"unparsable json stays text", oidJSON, `{"a":`, `{"a":`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := decodeValue(tt.oid, []byte(tt.text))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("decodeValue(%d, %q) = %#v (%T), want %#v (%T)", tt.oid, tt.text, got, got, tt.want, tt.want)
			}
		})
	}
}

func TestDecodeValueNaN(t *testing.T) {
	for _, oid := range []uint32{oidNumeric, oidFloat4, oidFloat8} {
		got, ok := decodeValue(oid, []byte("NaN")).(float64)
		if !ok || !math.IsNaN(got) {
			t.Errorf("decodeValue(%d, NaN) = %#v, want a float64 NaN", oid, got)
		}
	}
}
