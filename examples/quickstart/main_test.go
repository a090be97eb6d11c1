package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestQuickstart runs the main job and checks what the README promises: the
// first run syncs, the second writes nothing, and nothing fails.
func TestQuickstart(t *testing.T) {
	if testing.Short() {
		t.Skip("the quickstart takes a few seconds")
	}
	var out, log bytes.Buffer
	if err := run(t.Context(), &out, &log); err != nil {
		t.Fatalf("quickstart failed: %v\n%s\n%s", err, out.String(), log.String())
	}
	for _, want := range []string{"first run", "second run", "writes in the second run: 0", "ok: every record synced once"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if !strings.Contains(log.String(), "person debtor created") || !strings.Contains(log.String(), "company debtor created") {
		t.Errorf("activity log lacks debtor lines")
	}
	if strings.Contains(log.String(), "@example.nl") {
		t.Error("the activity log shows an unmasked e-mail address")
	}
}
