package eaccountingtest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/eaccounting"
)

// The business rules of the fake. They follow the wire notes: VAT rates
// are written as fractions (see eaccounting.VATPercent), an amount
// excludes VAT (eaccounting.DocumentTotal), documents of a private
// customer carry VAT-inclusive prices when the company setting says so
// (eaccounting.IncludesVAT), and a row's VAT follows the article's coding
// and the customer's situation (eaccounting.Situation).

// nowString is the server's time as the API writes date-times.
func (s *Server) nowString() string { return s.now().UTC().Format(time.RFC3339Nano) }

func str(rec record, field string) string {
	s, _ := rec[field].(string)
	return s
}

func num(rec record, field string) decimal.Decimal {
	n, _ := rec[field].(json.Number)
	d, err := decimal.NewFromString(string(n))
	if err != nil {
		return decimal.Zero
	}
	return d
}

func setNum(rec record, field string, d decimal.Decimal) { rec[field] = json.Number(d.String()) }

// keep copies fields from old (the stored record) into rec where rec lacks
// them: server-assigned values survive a full-replace PUT.
func keep(rec, old record, fields ...string) {
	for _, f := range fields {
		if _, ok := rec[f]; (!ok || rec[f] == nil) && old != nil && old[f] != nil {
			rec[f] = old[f]
		}
	}
}

// next returns the next number of a series.
func (s *Server) next(series string, start int) int {
	if s.seq[series] == 0 {
		s.seq[series] = start - 1
	}
	s.seq[series]++
	return s.seq[series]
}

// decodeAs converts a record to a wire type of the client.
func decodeAs[T any](rec record) *T {
	var v T
	b, _ := json.Marshal(rec)
	_ = json.Unmarshal(b, &v)
	return &v
}

func (s *Server) settings() *eaccounting.CompanySettings {
	return decodeAs[eaccounting.CompanySettings](s.company)
}

func prepareCustomer(s *Server, rec, old record) *apiError {
	terms := s.lookup("termsofpayments", str(rec, "TermsOfPaymentId"))
	if terms == nil {
		return badRequest(eaccounting.CodeNotFound, "TermsOfPaymentId", "The terms of payment do not exist.")
	}
	keep(rec, old, "CustomerNumber", "CreatedUtc")
	number := str(rec, "CustomerNumber")
	if number == "" {
		for {
			number = strconv.Itoa(s.next("customer", 1001))
			if s.customerByNumber(number) == nil {
				break
			}
		}
		rec["CustomerNumber"] = number
	}
	if other := s.customerByNumber(number); other != nil && other["Id"] != rec["Id"] {
		return badRequest(eaccounting.CodeConflict, "CustomerNumber", "A customer with this customer number already exists.")
	}
	rec["TermsOfPayment"] = clone(terms)
	rec["ChangedUtc"] = s.nowString()
	rec["IsFutureInvoiceDateAllowed"] = true
	return nil
}

func (s *Server) customerByNumber(number string) record {
	for _, c := range s.data["customers"].recs {
		if str(c, "CustomerNumber") == number {
			return c
		}
	}
	return nil
}

func prepareArticle(s *Server, rec, old record) *apiError {
	for _, a := range s.data["articles"].recs {
		if str(a, "Number") == str(rec, "Number") && a["Id"] != rec["Id"] {
			return badRequest(eaccounting.CodeConflict, "Number", "An article with this number already exists.")
		}
	}
	coding := s.lookup("articleaccountcodings", str(rec, "CodingId"))
	if coding == nil {
		return badRequest(eaccounting.CodeNotFound, "CodingId", "The article account coding does not exist.")
	}
	unit := s.lookup("units", str(rec, "UnitId"))
	if unit == nil {
		return badRequest(eaccounting.CodeNotFound, "UnitId", "The unit does not exist.")
	}
	percent := eaccounting.VATPercent(eaccounting.Num(num(coding, "VatRatePercent")))
	net, gross := num(rec, "NetPrice"), num(rec, "GrossPrice")
	switch {
	case rec["GrossPrice"] == nil:
		gross = eaccounting.GrossPrice(net, percent)
	case rec["NetPrice"] == nil:
		net = eaccounting.NetPrice(gross, percent)
	case !gross.Equal(eaccounting.GrossPrice(net, percent)):
		return badRequest(eaccounting.CodeValidation, "GrossPrice",
			fmt.Sprintf("GrossPrice must equal NetPrice including the %s %% VAT of the article's coding (%s).", percent, eaccounting.GrossPrice(net, percent)))
	}
	setNum(rec, "NetPrice", net)
	setNum(rec, "GrossPrice", gross)
	rec["CodingName"] = coding["Name"]
	rec["UnitName"], rec["UnitAbbreviation"] = unit["Name"], unit["Abbreviation"]
	service := str(coding, "Type") == "Service"
	rec["IsServiceArticle"], rec["ShowStockInformation"] = service, !service
	if rec["StockBalance"] == nil {
		setNum(rec, "StockBalance", decimal.Zero)
	}
	keep(rec, old, "StockBalanceReserved", "CreatedUtc")
	if rec["StockBalanceReserved"] == nil {
		setNum(rec, "StockBalanceReserved", decimal.Zero)
	}
	setNum(rec, "StockBalanceAvailable", num(rec, "StockBalance").Sub(num(rec, "StockBalanceReserved")))
	if rec["CreatedUtc"] == nil {
		rec["CreatedUtc"] = s.nowString()
	}
	rec["ChangedUtc"] = s.nowString()
	return nil
}

// docCtx is what the rows of a sales document need to know.
type docCtx struct {
	customer    record
	cust        *eaccounting.Customer
	settings    *eaccounting.CompanySettings
	includesVat bool
}

func (s *Server) docContext(rec record) (*docCtx, *apiError) {
	cu := s.lookup("customers", str(rec, "CustomerId"))
	if cu == nil {
		return nil, badRequest(eaccounting.CodeNotFound, "CustomerId", "The customer does not exist.")
	}
	d := &docCtx{customer: cu, cust: decodeAs[eaccounting.Customer](cu), settings: s.settings()}
	d.includesVat = eaccounting.IncludesVAT(d.settings, d.cust.IsPrivatePerson)
	rec["CustomerNumber"], rec["CustomerName"] = cu["CustomerNumber"], cu["Name"]
	rec["CustomerIsPrivatePerson"], rec["IncludesVat"] = d.cust.IsPrivatePerson, d.includesVat
	return d, nil
}

// rows checks and prices the rows of a document. textField is the property
// marking a text row ("" when a row without article is a text row).
// Returns the net amount and the VAT.
func (s *Server) rows(d *docCtx, rec record, textField string, lineBase int) (net, vat decimal.Decimal, e *apiError) {
	rows, _ := rec["Rows"].([]any)
	for i, x := range rows {
		row := x.(map[string]any)
		field := fmt.Sprintf("Rows[%d].", i)
		text := row["ArticleId"] == nil
		if textField != "" {
			text, _ = row[textField].(bool)
		}
		row["Id"] = newID()
		if row["LineNumber"] == nil {
			row["LineNumber"] = json.Number(strconv.Itoa(i + lineBase))
		}
		if text {
			if strings.TrimSpace(str(row, "Text")) == "" {
				return net, vat, badRequest(eaccounting.CodeValidation, field+"Text", "A text row needs at least one character of text.")
			}
			if row["ArticleId"] != nil {
				return net, vat, badRequest(eaccounting.CodeValidation, field+"ArticleId", "A text row has no article.")
			}
			row["VatRate"] = nil
			row["IsTextRow"] = true
			continue
		}
		art := s.lookup("articles", str(row, "ArticleId"))
		if art == nil {
			return net, vat, badRequest(eaccounting.CodeNotFound, field+"ArticleId", "The article does not exist.")
		}
		coding := decodeAs[eaccounting.ArticleAccountCoding](s.lookup("articleaccountcodings", str(art, "CodingId")))
		uses, _ := art["UsesMoss"].(bool)
		percent := coding.SalesVATPercent(eaccounting.Situation(d.settings, d.cust, uses))
		rate := percent.Div(decimal.NewFromInt(100))
		row["ArticleNumber"], row["IsTextRow"] = art["Number"], false
		row["IsServiceArticle"] = art["IsServiceArticle"]
		row["UnitId"] = art["UnitId"]
		if str(row, "Text") == "" {
			row["Text"] = art["Name"]
		}
		setNum(row, "VatRate", rate)
		amount := num(row, "UnitPrice").Mul(num(row, "Quantity")).Mul(decimal.NewFromInt(1).Sub(num(row, "DiscountPercentage"))).Round(2)
		setNum(row, "Amount", amount)
		rowNet, rowVat := amount, amount.Mul(rate).Round(2)
		if d.includesVat {
			rowNet = amount.DivRound(decimal.NewFromInt(1).Add(rate), 2)
			rowVat = amount.Sub(rowNet)
		}
		net, vat = net.Add(rowNet), vat.Add(rowVat)
	}
	return net, vat, nil
}

// defaultAddress fills the address fields rec lacks from the customer.
func defaultAddress(rec, customer record, pairs ...string) {
	for i := 0; i+1 < len(pairs); i += 2 {
		if rec[pairs[i]] == nil {
			rec[pairs[i]] = customer[pairs[i+1]]
		}
	}
}

var invoiceAddress = []string{"InvoiceCustomerName", "Name", "InvoiceAddress1", "InvoiceAddress1", "InvoiceAddress2", "InvoiceAddress2",
	"InvoicePostalCode", "InvoicePostalCode", "InvoiceCity", "InvoiceCity", "InvoiceCountryCode", "InvoiceCountryCode"}

var deliveryAddress = []string{"DeliveryCustomerName", "DeliveryCustomerName", "DeliveryAddress1", "DeliveryAddress1",
	"DeliveryAddress2", "DeliveryAddress2", "DeliveryPostalCode", "DeliveryPostalCode", "DeliveryCity", "DeliveryCity",
	"DeliveryCountryCode", "DeliveryCountryCode"}

// prepareDoc does what orders, drafts and quotes share: the customer's
// data, the rows, the totals (written to the three properties named), the
// addresses defaulting to the customer's, and the server-kept values.
func (s *Server) prepareDoc(rec, old record, textField string, lineBase int, totals [3]string) (*docCtx, *apiError) {
	d, e := s.docContext(rec)
	if e != nil {
		return nil, e
	}
	net, vat, e := s.rows(d, rec, textField, lineBase)
	if e != nil {
		return nil, e
	}
	setNum(rec, totals[0], net)
	setNum(rec, totals[1], vat)
	setNum(rec, totals[2], decimal.Zero)
	defaultAddress(rec, d.customer, invoiceAddress...)
	defaultAddress(rec, d.customer, deliveryAddress...)
	keep(rec, old, "Number", "Status", "CreatedUtc")
	if rec["CreatedUtc"] == nil {
		rec["CreatedUtc"] = s.nowString()
	}
	return d, nil
}

// number gives rec the next number of series unless it has one.
func (s *Server) number(rec record, series string, start int) {
	if rec["Number"] == nil {
		rec["Number"] = json.Number(strconv.Itoa(s.next(series, start)))
	}
}

func prepareOrder(s *Server, rec, old record) *apiError {
	if _, e := s.prepareDoc(rec, old, "IsTextRow", 1, [3]string{"Amount", "VatAmount", "RoundingsAmount"}); e != nil {
		return e
	}
	s.number(rec, "order", 1)
	if rec["OrderDate"] == nil {
		rec["OrderDate"] = s.now().UTC().Format(time.DateOnly)
	}
	rec["ModifiedUtc"] = s.nowString()
	rec["IsNotDelivered"] = true
	return nil
}

func prepareDraft(s *Server, rec, old record) *apiError {
	d, e := s.prepareDoc(rec, old, "IsTextRow", 0, [3]string{"TotalAmount", "TotalVatAmount", "TotalRoundings"})
	if e != nil {
		return e
	}
	rec["TotalAmountBaseCurrency"], rec["TotalVatAmountBaseCurrency"] = rec["TotalAmount"], rec["TotalVatAmount"]
	rec["InvoiceCurrencyCode"] = firstString(str(d.customer, "CurrencyCode"), d.settings.CurrencyCode)
	rec["ReverseChargeOnConstructionServices"] = d.customer["ReverseChargeOnConstructionServices"]
	return nil
}

func prepareQuote(s *Server, rec, old record) *apiError {
	d, e := s.prepareDoc(rec, old, "", 1, [3]string{"TotalAmount", "VatAmount", "RoundingsAmount"})
	if e != nil {
		return e
	}
	s.number(rec, "quote", 1)
	rec["CurrencyCode"] = firstString(str(d.customer, "CurrencyCode"), d.settings.CurrencyCode)
	setNum(rec, "CurrencyRate", decimal.NewFromInt(1))
	rec["IsDomestic"] = d.cust.InvoiceCountryCode == "" || d.cust.InvoiceCountryCode == d.settings.CountryCode
	if rec["Status"] == nil {
		rec["Status"] = json.Number("1")
	}
	today := s.now().UTC()
	if rec["QuoteDate"] == nil {
		rec["QuoteDate"] = today.Format(time.DateOnly)
	}
	if rec["DueDate"] == nil {
		rec["DueDate"] = today.AddDate(0, 0, 30).Format(time.DateOnly)
	}
	rec["ModifiedUtc"] = s.nowString()
	return nil
}

func firstString(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// book converts a draft into a booked invoice and removes the draft; s.mu
// is held.
func (s *Server) book(draft record) record {
	inv := record{}
	for field := range specRules["CustomerInvoiceApi"] {
		if v, ok := draft[field]; ok && v != nil && field != "Rows" {
			inv[field] = clone(v)
		}
	}
	var rows []any
	for _, x := range draft["Rows"].([]any) {
		dr := x.(map[string]any)
		row := record{}
		for field := range specRules["CustomerInvoiceRowApi"] {
			if v, ok := dr[field]; ok && v != nil {
				row[field] = clone(v)
			}
		}
		row["Id"] = newID()
		if row["VatRate"] != nil {
			setNum(row, "PercentVat", num(row, "VatRate"))
			setNum(row, "AmountNoVat", num(row, "Amount"))
		}
		rows = append(rows, row)
	}
	inv["Rows"] = rows
	now, today := s.nowString(), s.now().UTC()
	inv["Id"], inv["VoucherId"] = newID(), newID()
	inv["InvoiceNumber"] = json.Number(strconv.Itoa(s.next("invoice", 10001)))
	inv["CreatedFromDraftId"] = draft["Id"]
	inv["CurrencyCode"] = draft["InvoiceCurrencyCode"]
	cu := s.lookup("customers", str(draft, "CustomerId"))
	days := 30
	if cu != nil {
		inv["CustomerEmail"] = cu["EmailAddress"]
		if inv["TermsOfPaymentId"] == nil {
			inv["TermsOfPaymentId"] = cu["TermsOfPaymentId"]
		}
		if t := s.lookup("termsofpayments", str(inv, "TermsOfPaymentId")); t != nil {
			days = int(num(t, "NumberOfDays").IntPart())
		}
	}
	if inv["InvoiceDate"] == nil {
		inv["InvoiceDate"] = today.Format(time.DateOnly)
	}
	if inv["DueDate"] == nil {
		inv["DueDate"] = today.AddDate(0, 0, days).Format(time.DateOnly)
	}
	total := eaccounting.DocumentTotal(num(draft, "TotalAmount"), num(draft, "TotalVatAmount"), num(draft, "TotalRoundings"))
	setNum(inv, "TotalAmountInvoiceCurrency", num(draft, "TotalAmount"))
	setNum(inv, "TotalVatAmountInvoiceCurrency", num(draft, "TotalVatAmount"))
	setNum(inv, "RemainingAmount", total)
	setNum(inv, "RemainingAmountInvoiceCurrency", total)
	setNum(inv, "CurrencyRate", decimal.NewFromInt(1))
	inv["PaymentStatus"] = json.Number("1")
	inv["CreatedUtc"], inv["ModifiedUtc"] = now, now
	s.drop("customerinvoicedrafts", str(draft, "Id"))
	c := s.data["customerinvoices"]
	c.ids = append(c.ids, inv["Id"].(string))
	c.recs[inv["Id"].(string)] = inv
	return inv
}
