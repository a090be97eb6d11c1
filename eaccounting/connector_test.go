package eaccounting_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/eaccounting"
	"github.com/tradelink/tradelink/eaccounting/eaccountingtest"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func kindOf(s string) connector.OrderKind { return connector.OrderKind(s) }

// newOrderFor is a canonical web-shop order: prices include 21 % VAT.
func newOrderFor(customerID, ref string, skus ...string) connector.Order {
	o := connector.Order{
		Number: ref, ExternalRef: ref, Currency: "EUR", PricesIncludeTax: true,
		CreatedAt: time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC),
		Customer:  connector.Customer{ID: customerID, Email: "buyer@example.com", FirstName: "Jan", LastName: "Jansen"},
	}
	for _, sku := range skus {
		o.Lines = append(o.Lines, connector.OrderLine{SKU: sku, Quantity: dec("2"), UnitPrice: dec("12.10"), TaxRate: dec("21")})
	}
	return o
}

// wantFields checks that err is a validation error naming exactly these
// fields.
func wantFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	var ves connector.ValidationErrors
	if !errors.As(err, &ves) {
		t.Fatalf("err = %v, want connector.ValidationErrors", err)
	}
	var got []string
	for _, ve := range ves {
		got = append(got, ve.Field)
		if !strings.Contains(err.Error(), ve.Field) {
			t.Errorf("%q does not name %s", err, ve.Field)
		}
	}
	if diff := cmp.Diff(fields, got); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}

func TestCreateCustomerPersonAndCompany(t *testing.T) {
	f := newFixture(t, eaccounting.ConnectorConfig{})
	addr := connector.Address{Street: "Oudegracht", HouseNumber: "12", HouseNumberSuffix: "a", PostalCode: "3511AB", City: "Utrecht", Country: "NL"}
	tests := []struct {
		name string
		in   connector.Customer
		want map[string]any
	}{{
		name: "private person",
		in:   connector.Customer{Email: "jan@example.com", FirstName: "Jan", LastName: "de Vries", Phone: "0612345678", BillingAddress: addr},
		want: map[string]any{"Name": "Jan de Vries", "IsPrivatePerson": true, "EmailAddress": "jan@example.com",
			"InvoiceAddress1": "Oudegracht 12a", "InvoicePostalCode": "3511AB", "InvoiceCity": "Utrecht", "InvoiceCountryCode": "NL",
			"Telephone": "0612345678", "ContactPersonName": nil, "IsActive": true, "TermsOfPaymentId": eaccountingtest.TermsNet30ID},
	}, {
		name: "company with contact and delivery address",
		in: connector.Customer{Email: "inkoop@acme.example", CompanyName: "Acme BV", FirstName: "Els", LastName: "Bakker",
			VATNumber: "NL001234567B01", CoCNumber: "12345678", PaymentTerms: "14", BillingAddress: addr,
			ShippingAddress: connector.Address{CompanyName: "Acme Magazijn", Street: "Havenweg 3", PostalCode: "3542AA", City: "Utrecht", Country: "NL"}},
		want: map[string]any{"Name": "Acme BV", "IsPrivatePerson": false, "ContactPersonName": "Els Bakker", "VatNumber": "NL001234567B01",
			"CorporateIdentityNumber": "12345678", "TermsOfPaymentId": eaccountingtest.TermsNet14ID,
			"DeliveryCustomerName": "Acme Magazijn", "DeliveryAddress1": "Havenweg 3", "DeliveryCity": "Utrecht"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := f.conn.CreateCustomer(t.Context(), tt.in)
			if err != nil {
				t.Fatal(err)
			}
			rec := f.srv.Record("customers", c.ID)
			for k, want := range tt.want {
				if diff := cmp.Diff(want, rec[k]); diff != "" {
					t.Errorf("%s (-want +got):\n%s", k, diff)
				}
			}
			if c.Number == "" || c.IsCompany() != (tt.in.CompanyName != "") {
				t.Errorf("returned %+v", c)
			}
		})
	}
}

func TestCustomerValidation(t *testing.T) {
	f := newFixture(t, eaccounting.ConnectorConfig{})
	long := strings.Repeat("x", 51)
	tests := []struct {
		name   string
		in     connector.Customer
		fields []string
	}{
		{"no postal code or city", connector.Customer{Email: "a@example.com", FirstName: "A"},
			[]string{"BillingAddress.PostalCode", "BillingAddress.City"}},
		{"name too long", connector.Customer{CompanyName: long, BillingAddress: connector.Address{PostalCode: "1000AA", City: "Amsterdam"}},
			[]string{"Name"}},
		{"unknown payment terms", connector.Customer{FirstName: "A", PaymentTerms: "Net 45", BillingAddress: connector.Address{PostalCode: "1000AA", City: "A"}},
			[]string{"PaymentTerms"}},
		{"number too long", connector.Customer{FirstName: "A", Number: "12345678901234567", BillingAddress: connector.Address{PostalCode: "1", City: "A"}},
			[]string{"Number"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.conn.CreateCustomer(t.Context(), tt.in)
			wantFields(t, err, tt.fields...)
			if strings.Contains(err.Error(), long) {
				t.Error("the error shows the personal value")
			}
		})
	}
	if n := f.srv.RequestsFor("POST", "/v2/customers"); n != 0 {
		t.Errorf("%d customers were posted", n)
	}
}

// TestUpdateCustomerKeepsUnownedFields: PUT replaces the whole customer, so
// the adapter must send back what the canonical model does not own.
func TestUpdateCustomerKeepsUnownedFields(t *testing.T) {
	f := newFixture(t, eaccounting.ConnectorConfig{})
	id, err := f.srv.SeedRaw("customers", map[string]any{
		"Name": "Bakkerij de Boer BV", "IsPrivatePerson": false, "IsActive": true, "TermsOfPaymentId": eaccountingtest.TermsNet14ID,
		"InvoiceAddress1": "Dorpsstraat 12", "InvoicePostalCode": "3581AB", "InvoiceCity": "Utrecht", "InvoiceCountryCode": "NL",
		"EmailAddress": "factuur@deboer.example", "Note": "Levering via achterdeur", "WwwAddress": "https://deboer.example",
		"EmailAddressOrder": "orders@deboer.example", "ElectronicReference": "REF-77", "DiscountPercentage": 0.05,
		"SalesDocumentLanguage": "nl", "CustomerNumber": "K-42", "MobilePhone": "0699999999",
	})
	if err != nil {
		t.Fatal(err)
	}
	before := f.srv.Record("customers", id)
	c, err := f.conn.FindCustomerByEmail(t.Context(), "FACTUUR@deboer.example")
	if err != nil {
		t.Fatal(err)
	}
	c.Phone = "030 765 4321"
	c.BillingAddress = connector.Address{Street: "Nieuwe Gracht 5", PostalCode: "3512LL", City: "Utrecht", Country: "NL"}
	c.PaymentTerms = "" // not owned by this mapping: keep
	if _, err := f.conn.UpdateCustomer(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	after := f.srv.Record("customers", id)
	for _, k := range []string{"Note", "WwwAddress", "EmailAddressOrder", "ElectronicReference", "DiscountPercentage",
		"SalesDocumentLanguage", "CustomerNumber", "MobilePhone", "TermsOfPaymentId", "EmailAddress", "IsActive"} {
		if diff := cmp.Diff(before[k], after[k]); diff != "" {
			t.Errorf("%s changed (-before +after):\n%s", k, diff)
		}
	}
	for k, want := range map[string]any{"Telephone": "030 765 4321", "InvoiceAddress1": "Nieuwe Gracht 5", "InvoicePostalCode": "3512LL"} {
		if after[k] != want {
			t.Errorf("%s = %v, want %v", k, after[k], want)
		}
	}
	if got := f.srv.RequestsFor("PUT", "/v2/customers/{id}"); got != 1 {
		t.Errorf("%d PUTs, want 1", got)
	}
}

func TestCreateProductPrices(t *testing.T) {
	f := newFixture(t, eaccounting.ConnectorConfig{})
	tests := []struct {
		name             string
		in               connector.Product
		net, gross, code string
	}{
		{"net price 21 %", connector.Product{SKU: "P1", Name: "Mok", Price: dec("10"), TaxRate: dec("21"), Currency: "EUR", Active: true},
			"10", "12.1", eaccountingtest.Coding21ID},
		{"gross price 21 %", connector.Product{SKU: "P2", Name: "Mok", Price: dec("12.10"), PriceIncludesTax: true, TaxRate: dec("21"), Active: true},
			"10", "12.1", eaccountingtest.Coding21ID},
		{"gross price that does not divide", connector.Product{SKU: "P3", Name: "Thee", Price: dec("9.99"), PriceIncludesTax: true, TaxRate: dec("9"), Active: true},
			"9.17", "10", eaccountingtest.Coding9ID},
		{"coding by name", connector.Product{SKU: "P4", Name: "Advies", Price: dec("100"), TaxCode: "diensten 21%", Active: true},
			"100", "121", eaccountingtest.CodingService},
		{"coding by revenue account", connector.Product{SKU: "P5", Name: "Consult", Price: dec("50"), TaxRate: dec("21"), RevenueAccount: "8003", Active: true},
			"50", "60.5", eaccountingtest.CodingService},
		{"zero rate", connector.Product{SKU: "P6", Name: "Boek", Price: dec("20"), Active: true},
			"20", "20", eaccountingtest.Coding0ID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := f.conn.CreateProduct(t.Context(), tt.in)
			if err != nil {
				t.Fatal(err)
			}
			rec := f.srv.Record("articles", p.ID)
			if fmt.Sprint(rec["NetPrice"]) != tt.net || fmt.Sprint(rec["GrossPrice"]) != tt.gross || rec["CodingId"] != tt.code {
				t.Errorf("net %v gross %v coding %v; want %s %s %s", rec["NetPrice"], rec["GrossPrice"], rec["CodingId"], tt.net, tt.gross, tt.code)
			}
			if !p.Price.Equal(dec(tt.net)) || p.PriceIncludesTax {
				t.Errorf("returned price %s incl %v", p.Price, p.PriceIncludesTax)
			}
		})
	}
}

func TestProductValidation(t *testing.T) {
	f := newFixture(t, eaccounting.ConnectorConfig{})
	tests := []struct {
		name   string
		in     connector.Product
		fields []string
	}{
		{"rate without coding", connector.Product{SKU: "V1", Name: "X", Price: dec("1"), TaxRate: dec("7")}, []string{"TaxRate"}},
		{"foreign currency", connector.Product{SKU: "V2", Name: "X", Price: dec("1"), TaxRate: dec("21"), Currency: "SEK"}, []string{"Currency"}},
		{"unknown coding", connector.Product{SKU: "V3", Name: "X", Price: dec("1"), TaxCode: "Hoog"}, []string{"TaxCode"}},
		{"coding and rate disagree", connector.Product{SKU: "V4", Name: "X", Price: dec("1"), TaxCode: eaccountingtest.Coding9ID, TaxRate: dec("21")}, []string{"TaxRate"}},
		{"revenue account nobody books to", connector.Product{SKU: "V5", Name: "X", Price: dec("1"), TaxRate: dec("21"), RevenueAccount: "8999"}, []string{"RevenueAccount"}},
		{"unknown unit", connector.Product{SKU: "V6", Name: "X", Price: dec("1"), TaxRate: dec("21"), Unit: "furlong"}, []string{"Unit"}},
		{"sku too long", connector.Product{SKU: strings.Repeat("9", 41), Name: "X", Price: dec("1"), TaxRate: dec("21")}, []string{"SKU"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.conn.CreateProduct(t.Context(), tt.in)
			wantFields(t, err, tt.fields...)
		})
	}
	_, err := f.conn.CreateProduct(t.Context(), connector.Product{SKU: "G1", Name: "Set", Type: connector.ProductGrouped, GroupedSKUs: []string{"A"}})
	if !errors.Is(err, connector.ErrUnsupported) {
		t.Errorf("grouped product: err = %v, want ErrUnsupported", err)
	}
	if n := f.srv.RequestsFor("POST", "/v2/articles"); n != 0 {
		t.Errorf("%d articles were posted", n)
	}
}

func TestUpdateProductKeepsUnownedFields(t *testing.T) {
	f := newFixture(t, eaccounting.ConnectorConfig{})
	id, err := f.srv.SeedRaw("articles", map[string]any{
		"Number": "MUG-1", "Name": "Mok", "NameEnglish": "Mug", "IsActive": true, "NetPrice": 10, "GrossPrice": 12.1,
		"CodingId": eaccountingtest.Coding21ID, "UnitId": eaccountingtest.UnitPiecesID, "Note": "Niet vaatwasserbestendig",
		"PurchasePrice": 3.5, "StockLocationReference": "A-01", "SendToWebshop": false,
		"Barcodes": []map[string]any{{"Barcode": "8712345678906", "BarcodeType": 0}, {"Barcode": "ALT-1", "BarcodeType": 1}},
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.conn.FindProductBySKU(t.Context(), "MUG-1")
	if err != nil {
		t.Fatal(err)
	}
	if p.EAN != "8712345678906" || !p.CostPrice.Equal(dec("3.5")) || !p.TaxRate.Equal(dec("21")) || p.RevenueAccount != "8000" {
		t.Errorf("read %+v", p)
	}
	p.Name, p.Price, p.CostPrice, p.TaxRate, p.EAN = "Grote mok", dec("12"), decimal.Zero, decimal.Zero, "8712345678913"
	if _, err := f.conn.UpdateProduct(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	rec := f.srv.Record("articles", id)
	want := map[string]any{"Name": "Grote mok", "NameEnglish": "Mug", "Note": "Niet vaatwasserbestendig", "StockLocationReference": "A-01",
		"SendToWebshop": false, "CodingId": eaccountingtest.Coding21ID}
	for k, v := range want {
		if rec[k] != v {
			t.Errorf("%s = %v, want %v", k, rec[k], v)
		}
	}
	if fmt.Sprintf("%v %v %v", rec["NetPrice"], rec["GrossPrice"], rec["PurchasePrice"]) != "12 14.52 3.5" {
		t.Errorf("prices %v %v %v", rec["NetPrice"], rec["GrossPrice"], rec["PurchasePrice"])
	}
	if got := fmt.Sprint(rec["Barcodes"]); got != "[map[Barcode:8712345678913 BarcodeType:0] map[Barcode:ALT-1 BarcodeType:1]]" {
		t.Errorf("barcodes %s", got)
	}
}

func TestConfigurableProductBecomesArticlesPerVariant(t *testing.T) {
	f := newFixture(t, eaccounting.ConnectorConfig{})
	p := connector.Product{
		SKU: "TEE", Name: "T-shirt", Type: connector.ProductConfigurable, Price: dec("20"), TaxRate: dec("21"), Active: true,
		Attributes: []connector.Attribute{{Name: "Size", Values: []string{"M", "L"}}},
		Variants: []connector.Variant{
			{SKU: "TEE-M", Attributes: []connector.AttributeValue{{Name: "Size", Value: "M"}}, Active: true},
			{SKU: "TEE-L", Attributes: []connector.AttributeValue{{Name: "Size", Value: "L"}}, Active: true, Price: decimal.NewNullDecimal(dec("22"))},
		},
	}
	out, err := f.conn.CreateProduct(t.Context(), p)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"T-shirt M", "T-shirt L"} {
		rec := f.srv.Record("articles", out.Variants[i].ID)
		if rec == nil || rec["Name"] != name {
			t.Errorf("variant %d: %v", i, rec)
		}
	}
	p.Variants[0].Price = decimal.NewNullDecimal(dec("19"))
	if _, err := f.conn.UpdateProduct(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	if n := f.srv.Count("articles"); n != 2 {
		t.Errorf("%d articles, want 2", n)
	}
	if got := f.srv.Record("articles", out.Variants[0].ID)["NetPrice"]; fmt.Sprint(got) != "19" {
		t.Errorf("variant M price %v after update", got)
	}
}

func TestStockLevels(t *testing.T) {
	f := newFixture(t, eaccounting.ConnectorConfig{})
	var skus []string
	for i := range 45 {
		sku := fmt.Sprintf("S%03d", i)
		f.seedArticle(t, sku, "1.00")
		if err := f.srv.SetStock(sku, decimal.NewFromInt(int64(i+10)), decimal.NewFromInt(int64(i%4))); err != nil {
			t.Fatal(err)
		}
		skus = append(skus, sku)
	}
	f.srv.ResetCounters()
	n := 0
	for l, err := range f.conn.StockLevels(t.Context(), connector.StockQuery{SKUs: skus}) {
		if err != nil {
			t.Fatal(err)
		}
		if !l.Available.Equal(l.OnHand.Sub(l.Reserved)) || !l.Managed {
			t.Errorf("%s: %s - %s = %s", l.SKU, l.OnHand, l.Reserved, l.Available)
		}
		n++
	}
	if n != 45 {
		t.Errorf("%d levels, want 45", n)
	}
	if got := f.srv.RequestsFor("GET", "/v2/articles"); got != 3 {
		t.Errorf("%d requests for 45 SKUs, want 3 (20 per request)", got)
	}
}

func TestOrderPricesFollowTheDocumentsVATBasis(t *testing.T) {
	tests := []struct {
		name          string
		showExcl      bool
		includesTax   bool
		price         string
		wantUnitPrice string
		wantAmount    string // order Amount (net)
	}{
		{"shop gross, document net", false, true, "12.10", "10", "20"},
		{"shop net, document net", false, false, "10", "10", "20"},
		{"shop net, document gross", true, false, "10", "12.1", "20"},
		{"shop gross, document gross", true, true, "12.10", "12.1", "20"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, eaccounting.ConnectorConfig{})
			if err := f.srv.SetCompany(map[string]any{"ShowPricesExclVatPC": tt.showExcl}); err != nil {
				t.Fatal(err)
			}
			cust := f.seedCustomer(t, "p@example.com")
			f.seedArticle(t, "A1", "10")
			o := newOrderFor(cust, "WEB-1", "A1")
			o.PricesIncludeTax, o.Lines[0].UnitPrice = tt.includesTax, dec(tt.price)
			got, err := f.conn.CreateOrder(t.Context(), connector.KindOrder, o)
			if err != nil {
				t.Fatal(err)
			}
			rec := f.srv.Record("orders", got.ID)
			row := rec["Rows"].([]any)[0].(map[string]any)
			if fmt.Sprint(row["UnitPrice"]) != tt.wantUnitPrice || fmt.Sprint(rec["Amount"]) != tt.wantAmount {
				t.Errorf("unit price %v amount %v; want %s %s", row["UnitPrice"], rec["Amount"], tt.wantUnitPrice, tt.wantAmount)
			}
			if got.PricesIncludeTax != tt.showExcl || !got.Totals.Total.Equal(dec("24.2")) {
				t.Errorf("read back: incl %v total %s", got.PricesIncludeTax, got.Totals.Total)
			}
		})
	}
}

func TestOrderRowsDiscountsShippingNotes(t *testing.T) {
	f := newFixture(t, eaccounting.ConnectorConfig{ShippingSKU: "SHIP", DiscountSKU: "DISC"})
	cust := f.seedCustomer(t, "d@example.com")
	f.seedArticle(t, "A1", "10")
	f.seedArticle(t, "SHIP", "0")
	f.seedArticle(t, "DISC", "0")
	o := newOrderFor(cust, "WEB-2", "A1")
	o.Lines[0].Discount = dec("2.42") // 10 % of 24.20
	o.ShippingCost, o.ShippingTaxRate, o.ShippingMethod = dec("6.05"), dec("21"), "PostNL"
	o.Discounts = []connector.Discount{{Code: "WELCOME", Amount: dec("1.21")}}
	o.Notes = "Graag bellen voor levering"
	got, err := f.conn.CreateOrder(t.Context(), connector.KindDraft, o)
	if err != nil {
		t.Fatal(err)
	}
	rec := f.srv.Record("customerinvoicedrafts", got.ID)
	var rows []string
	for _, x := range rec["Rows"].([]any) {
		r := x.(map[string]any)
		rows = append(rows, fmt.Sprintf("%v %v×%v -%v %v", r["ArticleNumber"], r["Quantity"], r["UnitPrice"], r["DiscountPercentage"], r["Text"]))
	}
	want := []string{"A1 2×10 -0.1 Article A1", "SHIP 1×5 -0 PostNL", "DISC 1×-1 -0 WELCOME", "<nil> 0×0 -0 Graag bellen voor levering"}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if got.Notes != "Graag bellen voor levering" || len(got.Lines) != 3 || got.ExternalRef != "WEB-2" {
		t.Errorf("read back %+v", got)
	}
}

func TestOrderValidation(t *testing.T) {
	f := newFixture(t, eaccounting.ConnectorConfig{})
	cust := f.seedCustomer(t, "v@example.com")
	f.seedArticle(t, "A1", "10")
	tests := []struct {
		name   string
		kind   connector.OrderKind
		change func(o *connector.Order)
		fields []string
	}{
		{"unknown SKU", connector.KindOrder, func(o *connector.Order) { o.Lines[0].SKU = "NOPE" }, []string{"Lines[0].SKU"}},
		{"reference too long", connector.KindOrder, func(o *connector.Order) { o.ExternalRef = strings.Repeat("R", 36) }, []string{"ExternalRef"}},
		{"no customer", connector.KindOrder, func(o *connector.Order) { o.Customer.ID = "" }, []string{"Customer.ID"}},
		{"unknown customer", connector.KindOrder, func(o *connector.Order) { o.Customer.ID = "0b7c1f6e-2d3a-4e5f-8a9b-0c1d2e3f4a5b" }, []string{"Customer.ID"}},
		{"shipping without article", connector.KindOrder, func(o *connector.Order) { o.ShippingCost = dec("5") }, []string{"ShippingCost"}},
		{"tax code of another coding", connector.KindOrder, func(o *connector.Order) { o.Lines[0].TaxCode = eaccountingtest.Coding9ID }, []string{"Lines[0].TaxCode"}},
		{"revenue account eAccounting will not book", connector.KindOrder, func(o *connector.Order) { o.Lines[0].RevenueAccount = "8100" }, []string{"Lines[0].RevenueAccount"}},
		{"currency of a draft differs from the customer's", connector.KindDraft, func(o *connector.Order) { o.Currency = "USD" }, []string{"Currency"}},
		{"too many quantity decimals for a draft", connector.KindDraft, func(o *connector.Order) { o.Lines[0].Quantity = dec("1.125") }, []string{"Lines[0].Quantity"}},
		{"discount above the line amount", connector.KindOrder, func(o *connector.Order) { o.Lines[0].Discount = dec("30") }, []string{"Lines[0].Discount"}},
		{"product id of another article", connector.KindOrder, func(o *connector.Order) { o.Lines[0].ProductID = eaccountingtest.Coding21ID }, []string{"Lines[0].ProductID"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOrderFor(cust, "WEB-V", "A1")
			tt.change(&o)
			_, err := f.conn.CreateOrder(t.Context(), tt.kind, o)
			wantFields(t, err, tt.fields...)
		})
	}
	for _, res := range []string{"orders", "customerinvoicedrafts"} {
		if n := f.srv.Count(res); n != 0 {
			t.Errorf("%d %s written", n, res)
		}
	}
	o := newOrderFor(cust, "WEB-OK", "A1")
	o.Lines[0].TaxCode, o.Lines[0].RevenueAccount = "Omzet hoog 21%", "8000"
	if _, err := f.conn.CreateOrder(t.Context(), connector.KindOrder, o); err != nil {
		t.Errorf("matching tax code and account: %v", err)
	}
}

// TestRevenueAccountPerCountry: eAccounting books by the coding and the
// customer's VAT situation; the adapter accepts a line's account only when
// it is the one eAccounting will use.
func TestRevenueAccountPerCountry(t *testing.T) {
	f := newFixture(t, eaccounting.ConnectorConfig{})
	f.seedArticle(t, "A1", "10")
	tests := []struct {
		name    string
		cust    eaccounting.Customer
		account string
		vatRate string // fraction on the row
	}{
		{"domestic", eaccounting.Customer{IsPrivatePerson: true, InvoiceCountryCode: "NL"}, "8000", "0.21"},
		{"EU business", eaccounting.Customer{InvoiceCountryCode: "BE", VatNumber: "BE0123456789"}, "8100", "0"},
		{"EU private", eaccounting.Customer{IsPrivatePerson: true, InvoiceCountryCode: "DE"}, "8110", "0.21"},
		{"outside EU", eaccounting.Customer{IsPrivatePerson: true, InvoiceCountryCode: "US"}, "8200", "0"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.cust
			c.Name, c.IsActive, c.InvoicePostalCode, c.InvoiceCity = "Klant", true, "1000", "Stad"
			id, err := f.srv.SeedCustomer(c)
			if err != nil {
				t.Fatal(err)
			}
			o := newOrderFor(id, fmt.Sprintf("RA-%d", i), "A1")
			o.Lines[0].RevenueAccount = tt.account
			got, err := f.conn.CreateOrder(t.Context(), connector.KindOrder, o)
			if err != nil {
				t.Fatal(err)
			}
			row := f.srv.Record("orders", got.ID)["Rows"].([]any)[0].(map[string]any)
			if fmt.Sprint(row["VatRate"]) != tt.vatRate {
				t.Errorf("row VAT %v, want %s", row["VatRate"], tt.vatRate)
			}
		})
	}
}

func TestInvoiceKindBooksALeftoverDraft(t *testing.T) {
	f := newFixture(t, eaccounting.ConnectorConfig{})
	cust := f.seedCustomer(t, "i@example.com")
	f.seedArticle(t, "A1", "10")
	// A first attempt created the draft, then failed to convert it.
	f.srv.Inject(eaccountingtest.Fault{Method: "POST", Path: "/v2/customerinvoicedrafts/", Status: 500})
	_, err := f.conn.CreateOrder(t.Context(), connector.KindInvoice, newOrderFor(cust, "WEB-9", "A1"))
	if err == nil {
		t.Fatal("the failed conversion reported no error")
	}
	if f.srv.Count("customerinvoicedrafts") != 1 || f.srv.Count("customerinvoices") != 0 {
		t.Fatal("setup: want one draft and no invoice")
	}
	if _, err := f.conn.FindOrderByRef(t.Context(), connector.KindInvoice, "WEB-9"); !errors.Is(err, connector.ErrNotFound) {
		t.Fatalf("FindOrderByRef(invoice) = %v, want ErrNotFound", err)
	}
	inv, err := f.conn.CreateOrder(t.Context(), connector.KindInvoice, newOrderFor(cust, "WEB-9", "A1"))
	if err != nil {
		t.Fatal(err)
	}
	if f.srv.Count("customerinvoicedrafts") != 0 || f.srv.Count("customerinvoices") != 1 || f.srv.RequestsFor("POST", "/v2/customerinvoicedrafts") != 1 {
		t.Errorf("drafts %d invoices %d draft posts %d; want the leftover draft booked",
			f.srv.Count("customerinvoicedrafts"), f.srv.Count("customerinvoices"), f.srv.RequestsFor("POST", "/v2/customerinvoicedrafts"))
	}
	if inv.Number == "" || inv.ExternalRef != "WEB-9" || inv.Status != connector.StatusAwaitingPayment {
		t.Errorf("invoice %+v", inv)
	}
}

// TestWriteOutcomeUnknown: a POST whose answer is lost may have been
// applied; the adapter says so, and the order is then found by reference.
func TestWriteOutcomeUnknown(t *testing.T) {
	for _, fault := range []eaccountingtest.Fault{
		{Method: "POST", Path: "/v2/orders", Status: 502, AfterCommit: true},
		{Method: "POST", Path: "/v2/orders", Drop: true, AfterCommit: true},
	} {
		t.Run(fmt.Sprintf("status %d drop %v", fault.Status, fault.Drop), func(t *testing.T) {
			f := newFixture(t, eaccounting.ConnectorConfig{})
			cust := f.seedCustomer(t, "u@example.com")
			f.seedArticle(t, "A1", "10")
			f.srv.Inject(fault)
			_, err := f.conn.CreateOrder(t.Context(), connector.KindOrder, newOrderFor(cust, "WEB-U", "A1"))
			if !errors.Is(err, connector.ErrOutcomeUnknown) {
				t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
			}
			found, err := f.conn.FindOrderByRef(t.Context(), connector.KindOrder, "WEB-U")
			if err != nil || found.ExternalRef != "WEB-U" {
				t.Errorf("FindOrderByRef after the lost answer: %v %+v", err, found)
			}
			if f.srv.RequestsFor("POST", "/v2/orders") != 1 {
				t.Error("the POST was repeated")
			}
		})
	}
}

func TestTransientFaultsAreRetried(t *testing.T) {
	f := newFixture(t, eaccounting.ConnectorConfig{})
	f.seedCustomer(t, "r@example.com")
	f.srv.Inject(eaccountingtest.Fault{Method: "GET", Path: "/v2/customers", Status: 429, RetryAfter: time.Millisecond, Times: 1})
	f.srv.Inject(eaccountingtest.Fault{Method: "GET", Path: "/v2/customers", Status: 503, Times: 1})
	if _, err := f.conn.FindCustomerByEmail(t.Context(), "r@example.com"); err != nil {
		t.Fatal(err)
	}
	if n := f.srv.RequestsFor("GET", "/v2/customers"); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}
}

func TestMalformedAnswer(t *testing.T) {
	f := newFixture(t, eaccounting.ConnectorConfig{})
	f.srv.Inject(eaccountingtest.Fault{Method: "GET", Path: "/v2/articles", Malformed: true})
	_, err := f.conn.FindProductBySKU(t.Context(), "X")
	if err == nil || !strings.Contains(err.Error(), "malformed response body") || !strings.Contains(err.Error(), "GET /v2/articles") {
		t.Errorf("err = %v, want a malformed-body error naming the request", err)
	}
}

// TestFilterFallback: when the server cannot filter on a property, lookups
// scan the list, and later lookups do not try the filter again.
func TestFilterFallback(t *testing.T) {
	f := newFixture(t, eaccounting.ConnectorConfig{PageSize: 5})
	cust := f.seedCustomer(t, "scan@example.com")
	for i := range 12 {
		f.seedCustomer(t, fmt.Sprintf("other%d@example.com", i))
	}
	f.seedArticle(t, "A1", "10")
	for i := range 6 {
		if _, err := f.conn.CreateOrder(t.Context(), connector.KindOrder, newOrderFor(cust, fmt.Sprintf("WEB-%d", i), "A1")); err != nil {
			t.Fatal(err)
		}
	}
	f.srv.RejectFilterOn(eaccounting.RefField)
	f.srv.RejectFilterOn("EmailAddress")
	f.srv.ResetCounters()
	for range 2 {
		o, err := f.conn.FindOrderByRef(t.Context(), connector.KindOrder, "WEB-4")
		if err != nil || o.ExternalRef != "WEB-4" {
			t.Fatalf("FindOrderByRef: %v %+v", err, o)
		}
		if _, err := f.conn.FindOrderByRef(t.Context(), connector.KindOrder, "WEB-44"); !errors.Is(err, connector.ErrNotFound) {
			t.Fatalf("FindOrderByRef(WEB-44) = %v", err)
		}
		c, err := f.conn.FindCustomerByEmail(t.Context(), "SCAN@example.com")
		if err != nil || c.ID != cust {
			t.Fatalf("FindCustomerByEmail: %v %+v", err, c)
		}
	}
	// One rejected filtered request per property, then scans only: 6 orders
	// fit one page (default size), 13 customers one page.
	if got, want := f.srv.RequestsFor("GET", "/v2/orders"), int64(1+4); got != want {
		t.Errorf("%d order list requests, want %d", got, want)
	}
	if got, want := f.srv.RequestsFor("GET", "/v2/customers"), int64(1+2); got != want {
		t.Errorf("%d customer list requests, want %d", got, want)
	}
}

func TestOrderSourceFiltersAndCustomers(t *testing.T) {
	f := newFixture(t, eaccounting.ConnectorConfig{PageSize: 2})
	a := f.seedCustomer(t, "a@example.com")
	b := f.seedCustomer(t, "b@example.com")
	f.seedArticle(t, "A1", "10")
	var ids []string
	for i, cust := range []string{a, b, a, b, a} {
		o, err := f.conn.CreateOrder(t.Context(), connector.KindOrder, newOrderFor(cust, fmt.Sprintf("WEB-%d", i), "A1"))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, o.ID)
	}
	if err := f.conn.SetOrderStatus(t.Context(), ids[1], connector.StatusShipped); err != nil {
		t.Fatal(err)
	}
	f.srv.ResetCounters()
	var got []string
	for o, err := range f.conn.Orders(t.Context(), connector.OrderQuery{Statuses: []connector.OrderStatus{connector.StatusProcessing}}) {
		if err != nil {
			t.Fatal(err)
		}
		if o.Customer.Email == "" || o.Status != connector.StatusProcessing || len(o.Lines) != 1 || o.Lines[0].SKU != "A1" {
			t.Errorf("order %+v", o)
		}
		got = append(got, o.ExternalRef)
	}
	if diff := cmp.Diff([]string{"WEB-0", "WEB-2", "WEB-3", "WEB-4"}, got); diff != "" {
		t.Errorf("processing orders (-want +got):\n%s", diff)
	}
	if n := f.srv.RequestsFor("GET", "/v2/customers/{id}"); n != 2 {
		t.Errorf("%d customer reads for 2 distinct customers", n)
	}
	n := 0
	for _, err := range f.conn.Orders(t.Context(), connector.OrderQuery{UpdatedSince: time.Now().Add(time.Hour)}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 0 {
		t.Errorf("%d orders modified in the future", n)
	}
	none := 0
	for range f.conn.Orders(t.Context(), connector.OrderQuery{Statuses: []connector.OrderStatus{connector.StatusRefunded}}) {
		none++
	}
	if none != 0 {
		t.Errorf("%d refunded orders", none)
	}
}

func TestSetOrderStatus(t *testing.T) {
	f := newFixture(t, eaccounting.ConnectorConfig{OrderStatus: eaccounting.OrderDraft})
	cust := f.seedCustomer(t, "s@example.com")
	f.seedArticle(t, "A1", "10")
	o, err := f.conn.CreateOrder(t.Context(), connector.KindOrder, newOrderFor(cust, "WEB-S", "A1"))
	if err != nil {
		t.Fatal(err)
	}
	status := func() any { return f.srv.Record("orders", o.ID)["Status"] }
	steps := []struct {
		set  connector.OrderStatus
		want string
	}{
		{connector.StatusProcessing, "2"}, {connector.StatusShipped, "3"}, {connector.StatusDelivered, "3"},
		{connector.StatusProcessing, "2"}, {connector.StatusCompleted, "3"},
	}
	if fmt.Sprint(status()) != "1" {
		t.Fatalf("created with status %v, want 1 (draft)", status())
	}
	for _, s := range steps {
		if err := f.conn.SetOrderStatus(t.Context(), o.ID, s.set); err != nil {
			t.Fatalf("SetOrderStatus(%s): %v", s.set, err)
		}
		if fmt.Sprint(status()) != s.want {
			t.Errorf("after %s: status %v, want %s", s.set, status(), s.want)
		}
	}
	if err := f.conn.SetOrderStatus(t.Context(), o.ID, connector.StatusRefunded); !errors.Is(err, connector.ErrUnsupported) {
		t.Errorf("refunded: %v, want ErrUnsupported", err)
	}
}

func TestCustomerAndProductStreamsSince(t *testing.T) {
	clock := time.Now().UTC().Truncate(time.Second) // near the client's clock, so its token stays valid
	f := newFixture(t, eaccounting.ConnectorConfig{}, eaccountingtest.WithClock(func() time.Time { return clock }))
	f.seedCustomer(t, "old@example.com")
	f.seedArticle(t, "OLD", "1")
	clock = clock.Add(time.Minute)
	f.seedCustomer(t, "new@example.com")
	f.seedArticle(t, "NEW", "1")
	var emails, skus []string
	for c, err := range f.conn.Customers(t.Context(), connector.CustomerQuery{UpdatedSince: clock}) {
		if err != nil {
			t.Fatal(err)
		}
		emails = append(emails, c.Email)
	}
	for p, err := range f.conn.Products(t.Context(), connector.ProductQuery{UpdatedSince: clock}) {
		if err != nil {
			t.Fatal(err)
		}
		skus = append(skus, p.SKU)
		if !p.UpdatedAt.Equal(clock) {
			t.Errorf("UpdatedAt = %v, want %v", p.UpdatedAt, clock)
		}
	}
	if fmt.Sprint(emails, skus) != "[new@example.com] [NEW]" {
		t.Errorf("changed since: %v %v", emails, skus)
	}
}

func TestNewConnectorConfig(t *testing.T) {
	f := newFixture(t, eaccounting.ConnectorConfig{})
	for _, cfg := range []eaccounting.ConnectorConfig{{OrderStatus: eaccounting.OrderShipped}, {PageSize: -1}} {
		if _, err := eaccounting.NewConnector(f.client, cfg); err == nil {
			t.Errorf("NewConnector(%+v) accepted", cfg)
		}
	}
	if _, err := eaccounting.NewConnector(nil, eaccounting.ConnectorConfig{}); err == nil {
		t.Error("NewConnector(nil) accepted")
	}
	if f.conn.System() != "eaccounting" {
		t.Errorf("System() = %q", f.conn.System())
	}
}

// TestBadRequestOfAnotherCauseKeepsTheFilter: when the unfiltered list
// fails too, the 400 was not about the filter, and later lookups filter.
func TestBadRequestOfAnotherCauseKeepsTheFilter(t *testing.T) {
	f := newFixture(t, eaccounting.ConnectorConfig{})
	for i := range 60 { // more than one default page
		f.seedCustomer(t, fmt.Sprintf("c%d@example.com", i))
	}
	f.srv.Inject(eaccountingtest.Fault{Method: "GET", Path: "/v2/customers", Status: 400, Times: 2})
	if _, err := f.conn.FindCustomerByEmail(t.Context(), "c59@example.com"); err == nil {
		t.Fatal("the lookup did not fail")
	}
	f.srv.ResetCounters()
	if _, err := f.conn.FindCustomerByEmail(t.Context(), "c59@example.com"); err != nil {
		t.Fatal(err)
	}
	if n := f.srv.RequestsFor("GET", "/v2/customers"); n != 1 {
		t.Errorf("%d requests: the lookup scanned instead of filtering", n)
	}
}

// TestTimestampsWithoutZone: how the API writes date-times is unconfirmed;
// a timestamp without a zone offset is read as UTC instead of failing the
// record.
func TestTimestampsWithoutZone(t *testing.T) {
	var c eaccounting.Customer
	err := json.Unmarshal([]byte(`{"Id":"x","Name":"A","ChangedUtc":"2026-01-15T09:30:00.1234567","InvoicePostalCode":"1","InvoiceCity":"B"}`), &c)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 1, 15, 9, 30, 0, 123456700, time.UTC); !c.ChangedUtc.Equal(want) {
		t.Errorf("ChangedUtc = %v, want %v", c.ChangedUtc, want)
	}
	out, _ := json.Marshal(eaccounting.Order{CreatedUtc: c.ChangedUtc, OrderDate: eaccounting.DateOf(c.ChangedUtc.Time)})
	if !strings.Contains(string(out), `"CreatedUtc":"2026-01-15T09:30:00.1234567Z"`) || !strings.Contains(string(out), `"OrderDate":"2026-01-15"`) ||
		strings.Contains(string(out), "ModifiedUtc") {
		t.Errorf("encoded %s", out)
	}
}
