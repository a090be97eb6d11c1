package mpluskassa

import (
	"encoding/xml"
	"os"
	"strings"
	"testing"
)

// globalElements returns the names of the schema's top-level elements.
func globalElements(t *testing.T) map[string]bool {
	t.Helper()
	f, err := os.Open("testdata/mplusqapi.xsd")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := xml.NewDecoder(f)
	names := map[string]bool{}
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch e := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 2 && e.Name.Local == "element" {
				for _, a := range e.Attr {
					if a.Name.Local == "name" {
						names[a.Value] = true
					}
				}
			}
		case xml.EndElement:
			depth--
		}
	}
	if len(names) < 700 {
		t.Fatalf("read only %d global elements from the schema", len(names))
	}
	return names
}

// TestOperationsAreInTheSchema checks every operation's input and output
// element names (with their exact casing) against the WSDL's schema, and
// that only reads and idempotency-key writes are retried.
func TestOperationsAreInTheSchema(t *testing.T) {
	names := globalElements(t)
	for _, op := range allOperations {
		if !names[op.name] {
			t.Errorf("input element %q is not in the schema", op.name)
		}
		if !names[op.response] {
			t.Errorf("%s: response element %q is not in the schema", op.name, op.response)
		}
		read := strings.HasPrefix(op.name, "get") || strings.HasPrefix(op.name, "find")
		if op.idempotent != (read || op.name == "createOrderV3") {
			t.Errorf("%s: idempotent = %v", op.name, op.idempotent)
		}
	}
}
