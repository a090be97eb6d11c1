package mpluskassatest

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/mpluskassa"
)

// state is the fake's database. Every method is called with Server.mu held.
type state struct {
	now     func() time.Time
	pageCap int

	products      map[int64]*mpluskassa.Product // by product number
	productOf     map[int64]int64               // article number → product number
	nextProduct   int64
	nextArticle   int64
	articleMarker int64

	relations      map[int64]*mpluskassa.Relation
	nextRelation   int64
	relationMarker int64

	orders      map[string]*mpluskassa.Order // by orderId
	orderByExt  map[string]string            // extOrderId → orderId
	orderMarker int64
	orderSeq    int64

	stock   map[stockKey]*stockRec
	stockID int64

	employees      map[int64]*mpluskassa.Employee
	employeeMarker int64

	branches       []mpluskassa.Branch
	vatGroups      []mpluskassa.VatGroup
	turnoverGroups []mpluskassa.TurnoverGroup
	paymentMethods []mpluskassa.PaymentMethod

	idempotent map[string]mpluskassa.CreateOrderV3Response
}

type stockKey struct {
	branch  int
	article int64
}

// stockRec is the stock of one article at one branch: physical and
// reserved quantities; amountFree = onHand − reserved.
type stockRec struct {
	onHand, reserved, incoming decimal.Decimal
	stockID                    int64
	changed                    time.Time
}

func newState(now func() time.Time) *state {
	st := &state{
		now:         now,
		products:    map[int64]*mpluskassa.Product{},
		productOf:   map[int64]int64{},
		nextProduct: 1000, nextArticle: 100000, nextRelation: 5000,
		relations:  map[int64]*mpluskassa.Relation{},
		orders:     map[string]*mpluskassa.Order{},
		orderByExt: map[string]string{},
		stock:      map[stockKey]*stockRec{},
		employees:  map[int64]*mpluskassa.Employee{},
		idempotent: map[string]mpluskassa.CreateOrderV3Response{},
	}
	st.branches = []mpluskassa.Branch{
		{BranchNumber: 1, BranchName: "Hoofdvestiging", Abbreviation: "HV", CountryCode: 528, CountryIso3: "NLD", CountryName: "Nederland",
			Workplaces: &mpluskassa.WorkplaceList{Workplace: []mpluskassa.Workplace{{WorkplaceNumber: 1, WorkplaceName: "Kassa 1"}}}},
		{BranchNumber: 2, BranchName: "Filiaal Utrecht", Abbreviation: "UT", CountryCode: 528, CountryIso3: "NLD", CountryName: "Nederland",
			Workplaces: &mpluskassa.WorkplaceList{Workplace: []mpluskassa.Workplace{{WorkplaceNumber: 1, WorkplaceName: "Kassa 1"}, {WorkplaceNumber: 2, WorkplaceName: "Webshop"}}}},
	}
	for _, b := range []int{1, 2} {
		for _, g := range []struct {
			code int
			pct  int64
		}{{1, 21}, {2, 9}, {3, 0}} {
			st.vatGroups = append(st.vatGroups, mpluskassa.VatGroup{BranchNumber: mpluskassa.Ptr(b), CountryIso3: mpluskassa.Ptr("NLD"), VatCode: g.code, VatPercentage: g.pct})
		}
	}
	st.turnoverGroups = []mpluskassa.TurnoverGroup{
		{TurnoverGroupType: "TURNOVER-GROUP-TYPE-TURNOVER", TurnoverGroup: 1, TurnoverGroupName: "Algemeen"},
		{TurnoverGroupType: "TURNOVER-GROUP-TYPE-TURNOVER", TurnoverGroup: 10, TurnoverGroupName: "Kleding"},
		{TurnoverGroupType: "TURNOVER-GROUP-TYPE-TURNOVER", TurnoverGroup: 999, TurnoverGroupName: "Verzendkosten"},
	}
	st.paymentMethods = []mpluskassa.PaymentMethod{
		{Method: "CONTANT", Description: "Contant", ButtonText: "Contant", AllowNegativeAmount: true, Active: mpluskassa.Ptr(true), Type: mpluskassa.Ptr("PAYMENT-METHOD-TYPE-PAYMENT")},
		{Method: "PIN", Description: "Pinbetaling", ButtonText: "PIN", Active: mpluskassa.Ptr(true), Type: mpluskassa.Ptr("PAYMENT-METHOD-TYPE-EFT")},
		{Method: "IDEAL", Description: "iDEAL (webshop)", ButtonText: "iDEAL", Active: mpluskassa.Ptr(true), Type: mpluskassa.Ptr("PAYMENT-METHOD-TYPE-PAYMENT")},
	}
	st.addEmployee(mpluskassa.Employee{EmployeeNumber: mpluskassa.Ptr(mpluskassa.DefaultEmployeeNumber), Name: mpluskassa.Ptr("API"), Active: mpluskassa.Ptr(true)})
	return st
}

func (st *state) stamp() *mpluskassa.DateTime {
	return mpluskassa.Ptr(mpluskassa.NewDateTime(st.now()))
}

func (st *state) branch(n int) *mpluskassa.Branch {
	for i := range st.branches {
		if st.branches[i].BranchNumber == n {
			return &st.branches[i]
		}
	}
	return nil
}

func (st *state) vatPercentage(branch, code int) (int64, bool) {
	for _, g := range st.vatGroups {
		if g.VatCode == code && (g.BranchNumber == nil || *g.BranchNumber == branch) {
			return g.VatPercentage, true
		}
	}
	return 0, false
}

func (st *state) addEmployee(e mpluskassa.Employee) mpluskassa.Employee {
	st.employeeMarker++
	e.SyncMarker = mpluskassa.Ptr(st.employeeMarker)
	e.ChangeTimestamp = st.stamp()
	st.employees[*e.EmployeeNumber] = mpluskassa.Ptr(clone(e))
	return e
}

// article returns the stored article n and its product.
func (st *state) article(n int64) (*mpluskassa.Article, *mpluskassa.Product) {
	pn, ok := st.productOf[n]
	if !ok {
		return nil, nil
	}
	p := st.products[pn]
	for i := range p.ArticleList.Article {
		if *p.ArticleList.Article[i].ArticleNumber == n {
			return &p.ArticleList.Article[i], p
		}
	}
	return nil, nil
}

// errResult is a failed write: the result code and the errorMessage.
type errResult struct {
	code, msg string
}

// Error is the result code and the message.
func (e *errResult) Error() string { return e.code + ": " + e.msg }

func fail(code, format string, args ...any) *errResult {
	return &errResult{code: code, msg: fmt.Sprintf(format, args...)}
}

// prepareArticle checks and completes an article for create or update:
// turnover group range, VAT code, prices computed from each other.
func (st *state) prepareArticle(a *mpluskassa.Article, failed string) *errResult {
	if g := a.TurnoverGroup; g != nil && (*g < mpluskassa.MinTurnoverGroup || *g > mpluskassa.MaxTurnoverGroup) {
		return fail(failed, "turnoverGroup %d is outside %d-%d", *g, mpluskassa.MinTurnoverGroup, mpluskassa.MaxTurnoverGroup)
	}
	if a.VatCode != nil {
		pct, ok := st.vatPercentage(1, *a.VatCode)
		if !ok {
			return fail(failed, "unknown vatCode %d", *a.VatCode)
		}
		a.VatPercentage = &pct
	}
	vat := decimal.NewFromInt(val(a.VatPercentage))
	hundred := decimal.NewFromInt(100)
	switch {
	case a.PriceIncl != nil && a.PriceExcl == nil:
		a.PriceExcl = mpluskassa.Ptr(decimal.NewFromInt(*a.PriceIncl).Mul(hundred).Div(hundred.Add(vat)).Round(0).IntPart())
	case a.PriceExcl != nil && a.PriceIncl == nil:
		a.PriceIncl = mpluskassa.Ptr(decimal.NewFromInt(*a.PriceExcl).Mul(hundred.Add(vat)).Div(hundred).Round(0).IntPart())
	}
	return nil
}

// createProduct stores a new product, assigning numbers left out.
func (st *state) createProduct(p mpluskassa.Product) (mpluskassa.Product, *errResult) {
	p = clone(p)
	if len(p.Articles()) == 0 {
		return p, fail(mpluskassa.CreateProductFailed, "a product needs at least one article")
	}
	if p.ProductNumber != nil {
		if _, taken := st.products[*p.ProductNumber]; taken || *p.ProductNumber <= 0 {
			return p, fail(mpluskassa.CreateProductProductNumberTaken, "product number %d is already taken", *p.ProductNumber)
		}
	}
	seen := map[int64]bool{}
	for i := range p.ArticleList.Article {
		a := &p.ArticleList.Article[i]
		if a.ArticleNumber != nil {
			if _, taken := st.productOf[*a.ArticleNumber]; taken || seen[*a.ArticleNumber] || *a.ArticleNumber <= 0 {
				return p, fail(mpluskassa.CreateProductArticleNumberTaken, "article number %d is already taken", *a.ArticleNumber)
			}
			seen[*a.ArticleNumber] = true
		}
		if err := st.prepareArticle(a, mpluskassa.CreateProductFailed); err != nil {
			return p, err
		}
	}
	if p.ProductNumber == nil {
		st.nextProduct++
		for st.products[st.nextProduct] != nil {
			st.nextProduct++
		}
		p.ProductNumber = mpluskassa.Ptr(st.nextProduct)
	}
	st.articleMarker++
	p.SyncMarker = mpluskassa.Ptr(st.articleMarker)
	for i := range p.ArticleList.Article {
		a := &p.ArticleList.Article[i]
		if a.ArticleNumber == nil {
			a.ArticleNumber = mpluskassa.Ptr(st.newArticleNumber(seen))
		}
		st.completeNewArticle(a)
		st.productOf[*a.ArticleNumber] = *p.ProductNumber
	}
	st.products[*p.ProductNumber] = &p
	return clone(p), nil
}

func (st *state) newArticleNumber(seen map[int64]bool) int64 {
	for {
		st.nextArticle++
		if _, taken := st.productOf[st.nextArticle]; !taken && !seen[st.nextArticle] {
			return st.nextArticle
		}
	}
}

// completeNewArticle fills the defaults of a new article.
//
// UNCONFIRMED: the server's defaults are not documented; new articles are
// active and keep stock unless the request says otherwise.
func (st *state) completeNewArticle(a *mpluskassa.Article) {
	a.SyncMarker = mpluskassa.Ptr(st.articleMarker)
	a.CreateTimestamp, a.ChangeTimestamp = st.stamp(), st.stamp()
	if a.Active == nil {
		a.Active = mpluskassa.Ptr(true)
	}
	if a.StockArticle == nil {
		a.StockArticle = mpluskassa.Ptr(true)
	}
}

// updateProduct merges p into the stored product: set fields replace,
// absent ones stay; articles with an unknown or no number are added.
func (st *state) updateProduct(p mpluskassa.Product) (mpluskassa.UpdateProductResponse, *errResult) {
	var resp mpluskassa.UpdateProductResponse
	if p.ProductNumber == nil {
		return resp, fail(mpluskassa.UpdateProductFailed, "productNumber is required")
	}
	cur, ok := st.products[*p.ProductNumber]
	if !ok {
		return resp, fail(mpluskassa.UpdateProductNotFound, "product %d not found", *p.ProductNumber)
	}
	next := clone(*cur)
	merge(&next, clone(p), "ArticleList", "SyncMarker", "ProductNumber")
	seen := map[int64]bool{}
	var added []int
	for _, a := range clone(p).Articles() {
		if a.ArticleNumber != nil {
			if owner, taken := st.productOf[*a.ArticleNumber]; taken && owner != *p.ProductNumber {
				return resp, fail(mpluskassa.UpdateProductArticleNumberTaken, "article %d belongs to product %d", *a.ArticleNumber, owner)
			}
			if idx := articleIndex(next, *a.ArticleNumber); idx >= 0 {
				old := next.ArticleList.Article[idx]
				merge(&old, a, "SyncMarker", "CreateTimestamp", "ChangeTimestamp", "VatPercentage")
				// A price set alone makes the server compute the other one.
				if a.PriceIncl != nil && a.PriceExcl == nil {
					old.PriceExcl = nil
				}
				if a.PriceExcl != nil && a.PriceIncl == nil {
					old.PriceIncl = nil
				}
				if err := st.prepareArticle(&old, mpluskassa.UpdateProductFailed); err != nil {
					return resp, err
				}
				next.ArticleList.Article[idx] = old
				resp.ExistingArticleNumbers = append(resp.ExistingArticleNumbers, *a.ArticleNumber)
				continue
			}
			seen[*a.ArticleNumber] = true
		}
		if err := st.prepareArticle(&a, mpluskassa.UpdateProductFailed); err != nil {
			return resp, err
		}
		next.ArticleList.Article = append(next.ArticleList.Article, a)
		added = append(added, len(next.ArticleList.Article)-1)
	}
	st.articleMarker++
	next.SyncMarker = mpluskassa.Ptr(st.articleMarker)
	for i := range next.ArticleList.Article {
		next.ArticleList.Article[i].SyncMarker = next.SyncMarker
		next.ArticleList.Article[i].ChangeTimestamp = st.stamp()
	}
	for _, i := range added {
		a := &next.ArticleList.Article[i]
		if a.ArticleNumber == nil {
			a.ArticleNumber = mpluskassa.Ptr(st.newArticleNumber(seen))
		}
		st.completeNewArticle(a)
		st.productOf[*a.ArticleNumber] = *next.ProductNumber
		resp.NewArticleNumbers = append(resp.NewArticleNumbers, *a.ArticleNumber)
	}
	st.products[*next.ProductNumber] = &next
	resp.SyncMarker = next.SyncMarker
	resp.ChangeTimestamp = st.stamp()
	return resp, nil
}

func articleIndex(p mpluskassa.Product, n int64) int {
	for i, a := range p.Articles() {
		if val(a.ArticleNumber) == n {
			return i
		}
	}
	return -1
}

// stockOf returns the stock record of an article at a branch, creating an
// empty one.
func (st *state) stockOf(branch int, article int64) *stockRec {
	k := stockKey{branch, article}
	r, ok := st.stock[k]
	if !ok {
		r = &stockRec{}
		st.stock[k] = r
	}
	return r
}

// mutate records a stock change with a new stock id.
func (st *state) mutate(r *stockRec) {
	st.stockID++
	r.stockID = st.stockID
	r.changed = st.now()
}

// articleStock is the wire form of a stock record.
func articleStock(branch int, article int64, r *stockRec) (mpluskassa.ArticleStock, error) {
	s := mpluskassa.ArticleStock{BranchNumber: mpluskassa.Ptr(branch), ArticleNumber: article, StockID: r.stockID}
	if !r.changed.IsZero() {
		s.ChangeTimestamp = mpluskassa.Ptr(mpluskassa.NewDateTime(r.changed))
	}
	var err, e2, e3 error
	var pf, pr, pi int
	s.AmountFree, pf, err = mpluskassa.ToScaled(r.onHand.Sub(r.reserved))
	s.AmountReserved, pr, e2 = mpluskassa.ToScaled(r.reserved)
	s.AmountIncoming, pi, e3 = mpluskassa.ToScaled(r.incoming)
	s.DecimalPlacesFree, s.DecimalPlacesReserved, s.DecimalPlacesIncoming = &pf, &pr, &pi
	return s, errors.Join(err, e2, e3)
}

// reserve adds qty (negative releases) to the reservations of the order's
// stock-keeping articles at its booking branch.
func (st *state) reserve(o *mpluskassa.Order, sign int64, deliver bool) {
	branch := val(o.FinancialBranchNumber)
	for _, l := range o.Lines() {
		a, _ := st.article(l.ArticleNumber)
		if a == nil || !val(a.StockArticle) || l.Data == nil {
			continue
		}
		q, err := l.Data.QuantityDecimal()
		if err != nil {
			continue
		}
		r := st.stockOf(branch, l.ArticleNumber)
		r.reserved = r.reserved.Add(q.Mul(decimal.NewFromInt(sign)))
		if deliver {
			r.onHand = r.onHand.Sub(q)
		}
		st.mutate(r)
	}
}

// searchable are the relation fields findRelation matches on.
var searchable = []func(r *mpluskassa.Relation) *string{
	func(r *mpluskassa.Relation) *string { return r.ExtRelationID },
	func(r *mpluskassa.Relation) *string { return r.Name },
	func(r *mpluskassa.Relation) *string { return r.Address },
	func(r *mpluskassa.Relation) *string { return r.Zipcode },
	func(r *mpluskassa.Relation) *string { return r.City },
	func(r *mpluskassa.Relation) *string { return r.Country },
	func(r *mpluskassa.Relation) *string { return r.Contact },
	func(r *mpluskassa.Relation) *string { return r.Telephone },
	func(r *mpluskassa.Relation) *string { return r.Mobile },
	func(r *mpluskassa.Relation) *string { return r.Email },
	func(r *mpluskassa.Relation) *string { return r.Website },
	func(r *mpluskassa.Relation) *string { return r.RelationCode },
	func(r *mpluskassa.Relation) *string { return r.CardNumber },
	func(r *mpluskassa.Relation) *string { return r.BankAccountNumber },
	func(r *mpluskassa.Relation) *string { return r.CompanyName },
}

// findRelation returns the relation (lowest number first) whose fields
// match every filled search term: case-insensitively, partially unless
// exact.
func (st *state) findRelation(q mpluskassa.Relation, exact bool) *mpluskassa.Relation {
	nums := make([]int64, 0, len(st.relations))
	for n := range st.relations {
		nums = append(nums, n)
	}
	sort.Slice(nums, func(i, j int) bool { return nums[i] < nums[j] })
	terms := 0
	for _, get := range searchable {
		if v := get(&q); v != nil && *v != "" {
			terms++
		}
	}
	if terms == 0 {
		return nil
	}
next:
	for _, n := range nums {
		r := st.relations[n]
		for _, get := range searchable {
			want := get(&q)
			if want == nil || *want == "" {
				continue
			}
			have := strings.ToLower(val(get(r)))
			w := strings.ToLower(*want)
			if exact && have != w || !exact && !strings.Contains(have, w) {
				continue next
			}
		}
		return r
	}
	return nil
}

func val[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
