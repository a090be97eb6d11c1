package demo

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/tradelink/tradelink/connector"
)

// parseSettings parses args with the shared flags of a sink taking kinds.
func parseSettings(t *testing.T, args []string, env map[string]string, kinds ...connector.OrderKind) (*Settings, *Flags) {
	t.Helper()
	var s Settings
	f := NewFlags("prog", "", func(k string) string { return env[k] }, &bytes.Buffer{})
	s.Register(f, kinds...)
	if err := f.Parse(args); err != nil {
		t.Fatal(err)
	}
	return &s, f
}

func TestSettingsPairConfig(t *testing.T) {
	s, f := parseSettings(t, []string{"-flows", "orders, stock", "-statuses", "shipped", "-kind", "invoice", "-since", "2026-11-01", "-paid-only=false"},
		map[string]string{"TRADELINK_LOOKBACK": "24h", "TRADELINK_MAPPING": "testdata/mappings.json"},
		connector.KindOrder, connector.KindInvoice)
	cfg, err := s.PairConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	want := PairConfig{Flows: map[string]bool{"orders": true, "stock": true}, Statuses: []connector.OrderStatus{connector.StatusShipped},
		Kind: connector.KindInvoice, Since: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Lookback: 24 * time.Hour}
	if diff := cmp.Diff(want, cfg, cmpopts.IgnoreFields(PairConfig{}, "Overrides"), cmpopts.IgnoreUnexported(PairConfig{})); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
	if cfg.Overrides.Order == nil || cfg.Overrides.Customer == nil {
		t.Errorf("the mapping file was not loaded: %+v", cfg.Overrides)
	}
}

func TestSettingsDefaults(t *testing.T) {
	s, f := parseSettings(t, nil, nil, connector.KindOrder)
	cfg, err := s.PairConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Flows) != len(FlowsAll) || !cmp.Equal(cfg.Statuses, DefaultStatuses) || cfg.Kind != connector.KindOrder ||
		!cfg.PaidOnly || cfg.Lookback != DefaultLookback || !cfg.Since.IsZero() || s.DB != "tradelink.db" {
		t.Errorf("defaults: %+v, db %q", cfg, s.DB)
	}
}

func TestSettingsErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flow", []string{"-flows", "products,invoices"}, `-flows (env TRADELINK_FLOWS): unknown flow "invoices" (known: products, customers, orders, stock)`},
		{"unknown status", []string{"-statuses", "paid"}, `-statuses (env TRADELINK_ORDER_STATUSES): unknown order status "paid"`},
		{"kind the sink lacks", []string{"-kind", "invoice"}, `-kind (env TRADELINK_ORDER_KIND): unknown order kind "invoice" (want order only)`},
		{"bad date", []string{"-since", "yesterday"}, `-since (env TRADELINK_SINCE): "yesterday" is not a date`},
		{"bad mapping", []string{"-mapping", "testdata/bad_rule.json"}, "mappings testdata/bad_rule.json: mapping: line 6, column 64: customer.rules[0].on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, f := parseSettings(t, tt.args, nil, connector.KindOrder)
			_, err := s.PairConfig(f)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("PairConfig = %v, want %q", err, tt.want)
			}
		})
	}
	s, f := parseSettings(t, []string{"-flows", "x"}, nil, connector.KindOrder)
	if _, err := s.PairConfig(f); !errors.Is(err, ErrUsage) {
		t.Errorf("an unknown flow is not a usage error: %v", err)
	}
}

func TestParseStatuses(t *testing.T) {
	for in, want := range map[string][]connector.OrderStatus{
		"": nil, "all": nil, " shipped , completed": {connector.StatusShipped, connector.StatusCompleted},
	} {
		got, err := ParseStatuses(in)
		if err != nil || !cmp.Equal(got, want) {
			t.Errorf("ParseStatuses(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

func TestRequireShopNamesEverything(t *testing.T) {
	s, f := parseSettings(t, []string{"-shop-url", "https://shop.example.nl"}, nil, connector.KindOrder)
	err := s.RequireShop(f)
	if err == nil || !strings.Contains(err.Error(), "set -shop-public-key (env CCVSHOP_PUBLIC_KEY); -shop-secret (env CCVSHOP_SECRET)") {
		t.Errorf("RequireShop = %v", err)
	}
}

func TestSettingsNote(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		missing bool
		want    bool
	}{
		{"missing, orders run", nil, true, true},
		{"set", nil, false, false},
		{"orders do not run", []string{"-flows", "products,stock"}, true, false},
		{"demo", []string{"-demo"}, true, false},
	}
	for _, tt := range tests {
		s, _ := parseSettings(t, tt.args, nil, connector.KindOrder)
		var w bytes.Buffer
		s.Note(&w, "prog", tt.missing, "-x is not set")
		if got := w.String() == "prog: note: -x is not set\n"; got != tt.want {
			t.Errorf("%s: note %q", tt.name, w.String())
		}
	}
}
