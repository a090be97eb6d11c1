package ccvshop

import (
	"context"
	"iter"
	"net/url"
)

// User is a shop user (a customer account). Guest checkouts have no user;
// their data lives only in the order's Customer.
type User struct {
	Href string `json:"href"`
	ID   Int    `json:"id"`
	// Username is unique per shop; shops use the e-mail address.
	Username string `json:"username"`
	GroupID  Int    `json:"group_id"`
	// Status false means the user cannot log in.
	Status bool `json:"status"`
	// ApprovalStatus is "pending" or "accepted".
	ApprovalStatus string `json:"approval_status"`
	// ProductInCategoryDiscount is "highest" or "lowest".
	ProductInCategoryDiscount string        `json:"product_in_category_discount"`
	Userinfo                  *PersonalInfo `json:"userinfo,omitempty"`
	Creditpoints              *Link         `json:"creditpoints,omitempty"`
	Creditpointmutations      *Link         `json:"creditpointmutations,omitempty"`
	Disabledpaymethods        *Link         `json:"disabledpaymethods,omitempty"`
	Parent                    *Link         `json:"parent,omitempty"`
}

// UserInput is the body of POST /users/ (Username and Password required)
// and PATCH /users/{id}/ (all optional).
type UserInput struct {
	Username                  string        `json:"username,omitempty"`
	Password                  WireSecret    `json:"password,omitempty"`
	GroupID                   Int           `json:"group_id,omitempty"`
	Status                    *bool         `json:"status,omitempty"`
	ProductInCategoryDiscount string        `json:"product_in_category_discount,omitempty"`
	Userinfo                  *PersonalInfo `json:"userinfo,omitempty"`
}

// UserListOptions are the filter, sort and page of GET /users/. The API has
// no e-mail filter.
type UserListOptions struct {
	Paging
	// ApprovalStatus is "pending" or "accepted".
	ApprovalStatus string
	// OrderBy is id, first_name or last_name, with "_desc" for descending.
	OrderBy string
}

func (o *UserListOptions) query() (url.Values, Paging) {
	q := url.Values{}
	if o == nil {
		return q, Paging{}
	}
	setStr(q, "approval_status", o.ApprovalStatus)
	setStr(q, "orderby", o.OrderBy)
	return q, o.Paging
}

// UsersService reads and writes users (customers).
type UsersService struct{ service }

// List returns one page of users.
func (s *UsersService) List(ctx context.Context, opts *UserListOptions) (*Collection[User], error) {
	q, p := opts.query()
	return listPage[User](ctx, s.service, "users/", q, p)
}

// All streams every user.
func (s *UsersService) All(ctx context.Context, opts *UserListOptions) iter.Seq2[User, error] {
	q, p := opts.query()
	return listAll[User](ctx, s.service, "users/", q, p)
}

// Get returns one user.
func (s *UsersService) Get(ctx context.Context, id int64) (*User, error) {
	return getOne[User](ctx, s.service, idPath("users", id), nil)
}

// Create creates a user.
func (s *UsersService) Create(ctx context.Context, in *UserInput) (*User, error) {
	return create[User](ctx, s.service, "users/", in)
}

// Update patches a user with absolute values (safe to repeat).
func (s *UsersService) Update(ctx context.Context, id int64, in *UserInput) error {
	return s.api.Patch(ctx, idPath("users", id), in, true)
}

// Delete deletes a user.
func (s *UsersService) Delete(ctx context.Context, id int64) error {
	return s.api.Delete(ctx, idPath("users", id))
}
