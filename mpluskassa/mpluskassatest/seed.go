package mpluskassatest

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/mpluskassa"
)

// createRelation stores a new relation, assigning a number when none is
// given.
func (st *state) createRelation(r mpluskassa.Relation) (mpluskassa.Relation, *errResult) {
	r = clone(r)
	if val(r.Name) == "" && val(r.CompanyName) == "" {
		return r, fail(mpluskassa.CreateRelationFailed, "a relation needs a name")
	}
	if r.RelationNumber != nil {
		if _, taken := st.relations[*r.RelationNumber]; taken || *r.RelationNumber <= 0 {
			return r, fail(mpluskassa.CreateRelationNumberTaken, "relation number %d is already taken", *r.RelationNumber)
		}
	} else {
		for {
			st.nextRelation++
			if _, taken := st.relations[st.nextRelation]; !taken {
				break
			}
		}
		r.RelationNumber = mpluskassa.Ptr(st.nextRelation)
	}
	if r.Active == nil {
		r.Active = mpluskassa.Ptr(true)
	}
	st.relationMarker++
	r.SyncMarker = mpluskassa.Ptr(st.relationMarker)
	r.CreateTimestamp, r.ChangeTimestamp = st.stamp(), st.stamp()
	st.relations[*r.RelationNumber] = &r
	return clone(r), nil
}

func (e *errResult) err() error {
	if e == nil {
		return nil
	}
	return errors.New(e.Error())
}

// AddProduct stores a product directly, as createProduct would (numbers
// left out are assigned; prices and VAT completed), and returns it as
// stored.
func (s *Server) AddProduct(p mpluskassa.Product) (mpluskassa.Product, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out, res := s.st.createProduct(p)
	return out, res.err()
}

// AddSimpleProduct stores a product with one stock-keeping article:
// article number, description, price including VAT (cents) and VAT code 1
// (21 %).
func (s *Server) AddSimpleProduct(article int64, description string, priceInclCents int64) (mpluskassa.Product, error) {
	return s.AddProduct(mpluskassa.Product{Description: &description, ArticleList: &mpluskassa.ArticleList{Article: []mpluskassa.Article{{
		ArticleNumber: &article, Description: &description, PriceIncl: &priceInclCents, VatCode: mpluskassa.Ptr(1),
		TurnoverGroup: mpluskassa.Ptr(1), StockArticle: mpluskassa.Ptr(true), Active: mpluskassa.Ptr(true),
	}}}})
}

// AddRelation stores a relation directly, as createRelation would.
func (s *Server) AddRelation(r mpluskassa.Relation) (mpluskassa.Relation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out, res := s.st.createRelation(r)
	return out, res.err()
}

// AddOrder stores an order directly, with every rule createOrder applies
// (employee, relation, existing articles, unique extOrderId) and the stock
// reservations it makes.
func (s *Server) AddOrder(o mpluskassa.Order) (mpluskassa.Order, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out, res := s.st.createOrder(o, createPrefix)
	return out, res.err()
}

// AddEmployee stores an employee; EmployeeNumber is required.
func (s *Server) AddEmployee(e mpluskassa.Employee) (mpluskassa.Employee, error) {
	if e.EmployeeNumber == nil {
		return e, errors.New("mpluskassatest: AddEmployee needs an EmployeeNumber")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.addEmployee(e), nil
}

// SetStockLevel sets the physical and reserved stock of an article at a
// branch directly (amountFree becomes onHand − reserved). The article must
// exist and keep stock.
func (s *Server) SetStockLevel(branch int, article int64, onHand, reserved decimal.Decimal) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, code := s.st.stockTarget(branch, article, "")
	if r == nil {
		return fmt.Errorf("mpluskassatest: stock of article %d at branch %d: %s", article, branch, code)
	}
	r.onHand, r.reserved = onHand, reserved
	s.st.mutate(r)
	return nil
}

// Stock returns the physical and reserved stock of an article at a branch.
func (s *Server) Stock(branch int, article int64) (onHand, reserved decimal.Decimal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.st.stock[stockKey{branch, article}]; r != nil {
		return r.onHand, r.reserved
	}
	return decimal.Zero, decimal.Zero
}

// Product returns the product holding an article, as stored.
func (s *Server) Product(article int64) (mpluskassa.Product, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, p := s.st.article(article)
	if p == nil {
		return mpluskassa.Product{}, false
	}
	return clone(*p), true
}

// Relation returns a relation by number.
func (s *Server) Relation(number int64) (mpluskassa.Relation, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.st.relations[number]
	if !ok {
		return mpluskassa.Relation{}, false
	}
	return clone(*r), true
}

// OrderByExtID returns the order with an extOrderId.
func (s *Server) OrderByExtID(extOrderID string) (mpluskassa.Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.st.orderByExt[extOrderID]
	if !ok {
		return mpluskassa.Order{}, false
	}
	return clone(*s.st.orders[id]), true
}

// Counts returns how many products, relations and orders the fake holds.
func (s *Server) Counts() (products, relations, orders int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.st.products), len(s.st.relations), len(s.st.orders)
}

// AddVatGroup adds a VAT rate.
func (s *Server) AddVatGroup(g mpluskassa.VatGroup) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.vatGroups = append(s.st.vatGroups, clone(g))
}
