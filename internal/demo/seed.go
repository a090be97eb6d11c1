package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/ccvshop"
	"github.com/tradelink/tradelink/ccvshop/ccvshoptest"
	"github.com/tradelink/tradelink/eaccounting"
	"github.com/tradelink/tradelink/eaccounting/eaccountingtest"
	"github.com/tradelink/tradelink/mpluskassa/mpluskassatest"
)

// Article numbers of the service articles that carry shipping costs and
// order discounts in accounting and point-of-sale systems (numeric, so
// MplusKASSA takes them too).
const (
	ShippingSKU = "999"
	DiscountSKU = "998"
)

// Options sizes the demo data.
type Options struct {
	// Orders is the number of shop orders; zero means 60.
	Orders int
	// Products is the number of shop products; zero means 220, of which
	// every sixth is configurable with variants.
	Products int
	// Start is the creation time of the first order; zero means
	// 2026-11-02 08:00 UTC. Orders follow every 37 minutes.
	Start time.Time
	// Seed makes the data reproducible; the same seed gives the same data.
	Seed uint64
}

func (o *Options) defaults() {
	if o.Orders <= 0 {
		o.Orders = 60
	}
	if o.Products <= 0 {
		o.Products = 220
	}
	if o.Start.IsZero() {
		o.Start = time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	}
}

// Shop is what SeedShop put into the fake shop.
type Shop struct {
	Products, Variants, Users, Orders, Paid, Reserved int
	// SKUs lists the sellable SKUs (simple products and variants).
	SKUs []string
}

type person struct {
	first, last, company, vat, email string
	addr                             ccvshop.Address
	user                             bool
}

// The customers: Dutch, Belgian, German and French, and some outside the
// EU; companies with a VAT number and private persons.
var people = []person{
	{first: "Sanne", last: "de Vries", email: "sanne.devries@example.nl", addr: nlAddr("Prinsengracht", 263, "", "1016GV", "Amsterdam"), user: true},
	{first: "Daan", last: "Jansen", company: "Bakkerij Jansen BV", vat: "NL001234567B01", email: "inkoop@bakkerijjansen.example.nl", addr: nlAddr("Hoofdstraat", 12, "a", "3511AB", "Utrecht"), user: true},
	{first: "Emma", last: "Bakker", email: "emma.bakker@example.nl", addr: nlAddr("Lange Nieuwstraat", 12, "bis", "3512PH", "Utrecht"), user: true},
	{first: "Lucas", last: "Visser", company: "Visser Installatietechniek", vat: "NL812345678B01", email: "administratie@visser.example.nl", addr: nlAddr("Kerkstraat", 1, "-3", "5211KH", "'s-Hertogenbosch"), user: true},
	{first: "Julia", last: "Smit", email: "julia.smit@example.nl", addr: nlAddr("Dorpsstraat", 7, "", "1741AA", "Schagen")},
	{first: "Noah", last: "Peeters", email: "noah.peeters@example.be", addr: beAddr("Meir", 50, "", "2000", "Antwerpen"), user: true},
	{first: "Lotte", last: "Maes", company: "Maes & Zonen BVBA", vat: "BE0123456749", email: "boekhouding@maes.example.be", addr: beAddr("Rue Neuve", 22, "", "1000", "Brussel"), user: true},
	{first: "Finn", last: "Müller", email: "finn.mueller@example.de", addr: deAddr("Hauptstraße", 5, "b", "10115", "Berlin"), user: true},
	{first: "Mia", last: "Schmidt", company: "Schmidt Handels GmbH", vat: "DE123456789", email: "einkauf@schmidt-handel.example.de", addr: deAddr("Königsallee", 60, "", "40212", "Düsseldorf"), user: true},
	{first: "Léa", last: "Martin", email: "lea.martin@example.fr", addr: frAddr("Rue de Rivoli", 99, "", "75001", "Paris"), user: true},
	{first: "Hugo", last: "Bernard", company: "Bernard Distribution SARL", vat: "FR40303265045", email: "compta@bernard.example.fr", addr: frAddr("Quai des Chartrons", 12, "", "33000", "Bordeaux")},
	{first: "Olivia", last: "Brown", email: "olivia.brown@example.co.uk", addr: foreign("Baker Street", 221, "b", "NW1 6XE", "London", "GB"), user: true},
	{first: "Ethan", last: "Miller", company: "Miller Outdoor Inc.", email: "orders@milleroutdoor.example.com", addr: foreign("Main Street", 12, "", "10001", "New York", "US")},
	{first: "Lara", last: "Keller", email: "lara.keller@example.ch", addr: foreign("Bahnhofstrasse", 10, "", "8001", "Zürich", "CH"), user: true},
	{first: "Bram", last: "Mulder", email: "bram.mulder@example.nl", addr: nlAddr("Stationsweg", 4, "", "9711AM", "Groningen"), user: true},
	{first: "Tess", last: "Meijer", company: "Meijer Bloemen VOF", vat: "NL855555555B01", email: "info@meijerbloemen.example.nl", addr: nlAddr("Veilingweg", 2, "", "1431GB", "Aalsmeer"), user: true},
	{first: "Sem", last: "de Boer", email: "sem.deboer@example.nl", addr: nlAddr("Markt", 15, "", "5611EC", "Eindhoven")},
	{first: "Anna", last: "Dubois", email: "anna.dubois@example.be", addr: beAddr("Grote Markt", 3, "", "9000", "Gent"), user: true},
}

func addr(street string, nr int64, suffix, zip, city, country, name string) ccvshop.Address {
	return ccvshop.Address{Street: street, Housenumber: ccvshop.Int(nr), HousenumberSuffix: suffix, Zipcode: zip,
		City: city, CountryCode: country, Country: name}
}
func nlAddr(s string, n int64, x, z, c string) ccvshop.Address {
	return addr(s, n, x, z, c, "NL", "Nederland")
}
func beAddr(s string, n int64, x, z, c string) ccvshop.Address {
	return addr(s, n, x, z, c, "BE", "België")
}
func deAddr(s string, n int64, x, z, c string) ccvshop.Address {
	return addr(s, n, x, z, c, "DE", "Duitsland")
}
func frAddr(s string, n int64, x, z, c string) ccvshop.Address {
	return addr(s, n, x, z, c, "FR", "Frankrijk")
}
func foreign(s string, n int64, x, z, c, cc string) ccvshop.Address {
	return addr(s, n, x, z, c, cc, cc)
}

func (p person) info() *ccvshop.PersonalInfo {
	b := p.addr
	b.FirstName, b.LastName, b.Company = p.first, p.last, p.company
	b.Telephone = "+31 20 555 0" + strconv.Itoa(len(p.email)%90+10)
	d := p.addr
	d.FullName, d.Company = p.first+" "+p.last, p.company
	t := "b2c"
	if p.company != "" {
		t = "b2b"
	}
	return &ccvshop.PersonalInfo{Email: p.email, Customertype: t, Btw: p.vat, Billingaddress: &b, Deliveryaddress: &d}
}

var (
	nouns  = []string{"Mok", "Theepot", "Snijplank", "Koekenpan", "Schort", "Vaas", "Kandelaar", "Plaid", "Kussen", "Mand", "Lamp", "Klok", "Onderzetter", "Dienblad", "Karaf"}
	styles = []string{"Nordic", "Terra", "Linnen", "Eiken", "Basalt", "Oker", "Zeegroen", "Duin", "Klei", "Havermout", "Antraciet", "Zand"}
	groups = [][]string{{"Keuken"}, {"Keuken", "Servies"}, {"Wonen"}, {"Wonen", "Textiel"}, {"Tuin"}, {"Kleding", "Shirts"}}
	sizes  = []string{"S", "M", "L", "XL"}
	colors = []string{"Zwart", "Wit", "Oker", "Zeegroen"}
)

// SeedShop fills a fake CCV Shop with a realistic catalogue, registered
// users, orders (companies and persons in NL, BE, DE, FR and outside the EU;
// paid and unpaid; several statuses; variants, discounts and shipping) and
// stock with reservations. The same Options give the same data.
func SeedShop(srv *ccvshoptest.Server, o Options) Shop {
	o.defaults()
	r := rand.New(rand.NewPCG(o.Seed, 42))
	var out Shop
	price := func() decimal.Decimal { return decimal.New(int64(495+r.IntN(60)*100), -2) }
	type sellable struct {
		sku, name string
		price     decimal.Decimal
		tax       decimal.Decimal
	}
	var catalog []sellable
	cats := map[string]int64{}
	category := func(path []string) int64 {
		var parent int64
		for i := range path {
			key := strings.Join(path[:i+1], "/")
			if id, ok := cats[key]; ok {
				parent = id
				continue
			}
			c := ccvshop.Category{Name: path[i]}
			if parent != 0 {
				c.Parentcategory = &ccvshop.Ref{ID: ccvshop.Int(parent)}
			}
			c = srv.AddCategory(c)
			cats[key] = int64(c.ID)
			parent = int64(c.ID)
		}
		return parent
	}
	for i := range o.Products {
		sku := strconv.Itoa(100001 + i)
		name := styles[i%len(styles)] + " " + strings.ToLower(nouns[(i/len(styles))%len(nouns)])
		tariff, rate := "normal", decimal.NewFromInt(21)
		if i%7 == 3 { // food-adjacent goods at the low rate
			tariff, rate = "low b", decimal.NewFromInt(9)
		}
		g := groups[i%len(groups)]
		p := ccvshop.Product{Productnumber: sku, Name: name, Shortdescription: "Handgemaakt, " + strings.ToLower(styles[i%len(styles)]),
			Description: "<p>" + name + " uit de demo-collectie.</p>", Price: ccvshop.Number{Decimal: price()}, Taxtariff: tariff,
			Vatrate: ccvshop.Number{Decimal: rate}, IsActive: i%41 != 40, Stockenabled: true,
			Stock: ccvshop.Number{Decimal: decimal.NewFromInt(int64(r.IntN(60)))}, Eannumber: ean(8712345000000 + int64(i))}
		var combos []ccvshop.AttributeCombination
		if i%6 == 5 { // configurable: sizes or colours
			p.Name = "Shirt " + strings.ToLower(styles[i%len(styles)])
			p.Description = "<p>" + p.Name + " uit de demo-collectie.</p>"
			g = []string{"Kleding", "Shirts"}
			axis, values := "Maat", sizes
			if i%12 == 11 {
				axis, values = "Kleur", colors
			}
			for j, v := range values {
				part := ccvshop.CombinationPart{Attribute: ccvshop.NamedRef{Name: axis}, AttributeValue: ccvshop.NamedRef{Name: v}}
				if v == "XL" {
					part.ExtraPrice = ccvshop.Num("2.50")
				}
				combos = append(combos, ccvshop.AttributeCombination{SkuNumber: sku + strconv.Itoa(j+1), Active: true,
					Stock: ccvshop.Number{Decimal: decimal.NewFromInt(int64(r.IntN(25)))}, Combination: []ccvshop.CombinationPart{part}})
			}
		}
		stored, storedCombos := srv.AddProduct(p, combos...)
		srv.LinkProduct(int64(stored.ID), category(g))
		out.Products++
		if !p.IsActive {
			continue
		}
		if len(storedCombos) == 0 {
			catalog = append(catalog, sellable{sku, name, p.Price.Decimal, rate})
			out.SKUs = append(out.SKUs, sku)
		}
		for _, c := range storedCombos {
			out.Variants++
			extra := decimal.Zero
			if values := c.Combination; len(values) > 0 && values[0].AttributeValue.Name == "XL" {
				extra = decimal.RequireFromString("2.50")
			}
			catalog = append(catalog, sellable{c.SkuNumber, p.Name + " " + c.Combination[0].AttributeValue.Name, p.Price.Decimal.Add(extra), rate})
			out.SKUs = append(out.SKUs, c.SkuNumber)
		}
	}
	for _, p := range people {
		if p.user {
			if _, ok := srv.AddUser(ccvshop.User{Username: p.email, Userinfo: p.info(), Status: true, ApprovalStatus: "accepted"}); ok {
				out.Users++
			}
		}
	}
	// Orders: statuses weighted toward paid orders being processed.
	statuses := []int{ccvshop.StatusNew, ccvshop.StatusInProcess, ccvshop.StatusInProcess, ccvshop.StatusSent, ccvshop.StatusSent,
		ccvshop.StatusCompleted, ccvshop.StatusDelivered, ccvshop.StatusWaitForPayment, ccvshop.StatusCancelled}
	paymethods := []string{"iDEAL", "iDEAL", "BankTransfer", "PayPal", "Bancontact", "CreditCard"}
	for n := range o.Orders {
		p := people[r.IntN(len(people))]
		status := statuses[r.IntN(len(statuses))]
		paid := status != ccvshop.StatusNew && status != ccvshop.StatusWaitForPayment && r.IntN(10) > 0
		order := ccvshop.Order{
			Ordernumber: ccvshop.Int(202600 + n), OrdernumberPrefix: "TL", OrdernumberFull: fmt.Sprintf("TL-%d", 202600+n),
			CreateDate: o.Start.Add(time.Duration(n) * 37 * time.Minute).Format(time.RFC3339), Status: ccvshop.Int(status),
			Paid: paid, IsCompleted: true, Currency: "EUR", TaxesIncluded: true, OrderRowTaxesIncluded: true, ShippingTaxesIncluded: true,
			ShippingTaxPercentage: ccvshop.Num("21"), DeliverMethod: "shipping", Paymethod: paymethods[r.IntN(len(paymethods))],
			Orderedinlng: "nl", Customer: p.info(),
		}
		total := decimal.Zero
		var rows []ccvshop.OrderRow
		for range 1 + r.IntN(3) {
			s := catalog[r.IntN(len(catalog))]
			qty := decimal.NewFromInt(int64(1 + r.IntN(3)))
			rows = append(rows, ccvshop.OrderRow{ProductNumber: s.sku, ProductName: s.name, Count: ccvshop.Number{Decimal: qty},
				Price: ccvshop.Number{Decimal: s.price}, Tax: ccvshop.Number{Decimal: s.tax}, ProductType: "product"})
			total = total.Add(s.price.Mul(qty))
		}
		if total.LessThan(decimal.NewFromInt(75)) {
			order.TotalShipping = ccvshop.Num("6.95")
		}
		if n%9 == 4 {
			order.Discountcoupon = &ccvshop.Discountcoupon{Code: "WELKOM10", Discount: ccvshop.Num("10"), Type: "percentage"}
			order.TotalDiscounts = ccvshop.Number{Decimal: total.Mul(decimal.RequireFromString("0.10")).Round(2)}
		}
		srv.AddOrder(order, rows...)
		out.Orders++
		if paid {
			out.Paid++
		}
	}
	// Reservations: open orders hold stock of a few products.
	for i := 0; i < len(catalog) && out.Reserved < 12; i += 17 {
		srv.ReserveStock(catalog[i].sku, decimal.NewFromInt(int64(1+i%3)))
		out.Reserved++
	}
	return out
}

// ean returns a valid EAN-13 for a 12- or 13-digit base.
func ean(base int64) string {
	s := strconv.FormatInt(base, 10)
	if len(s) > 12 {
		s = s[:12]
	}
	sum := 0
	for i, c := range s {
		d := int(c - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return s + strconv.Itoa((10-sum%10)%10)
}

// SeedBooks adds the service articles eAccounting needs to book shipping
// costs and order discounts.
func SeedBooks(srv *eaccountingtest.Server) error {
	for _, a := range []eaccounting.Article{
		{Number: ShippingSKU, Name: "Verzendkosten", CodingID: eaccountingtest.CodingService, UnitID: eaccountingtest.UnitPiecesID, IsActive: true},
		{Number: DiscountSKU, Name: "Korting", CodingID: eaccountingtest.CodingService, UnitID: eaccountingtest.UnitPiecesID, IsActive: true},
	} {
		if _, err := srv.SeedArticle(a); err != nil {
			return fmt.Errorf("seed eAccounting article %s: %w", a.Number, err)
		}
	}
	return nil
}

// SeedPOS adds the service articles MplusKASSA needs for shipping costs and
// order discounts.
func SeedPOS(srv *mpluskassatest.Server) error {
	for _, a := range []struct {
		nr   int64
		name string
	}{{999, "Verzendkosten"}, {998, "Korting"}} {
		if _, err := srv.AddSimpleProduct(a.nr, a.name, 0); err != nil {
			return fmt.Errorf("seed MplusKASSA article %d: %w", a.nr, err)
		}
	}
	return nil
}
