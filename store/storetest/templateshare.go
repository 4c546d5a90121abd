package storetest

import (
	"slices"

	inlet "github.com/inlet-data/inlet"
)

var templateShareCases = []testCase{
	{"template shares", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		e.addMember("ana", inlet.RoleAnalyst)
		e.addMember("custA", inlet.RoleCustomer)
		e.addMember("custB", inlet.RoleCustomer)
		if err := db.CreateTenant(ctx, &inlet.Tenant{ID: "acme", Name: "Acme"}); err != nil {
			t.Fatal(err)
		}
		// custA is a customer of acme too: shares there are acme's.
		if err := db.SetMembership(ctx, inlet.Membership{UserID: "custA", Tenant: "acme", Role: inlet.RoleCustomer}); err != nil {
			t.Fatal(err)
		}
		for _, tp := range []*inlet.Template{
			{ID: "tp1", Tenant: "default", Name: "orders", Owner: "ana", SQL: "SELECT 1"},
			{ID: "tp2", Tenant: "default", Name: "invoices", Owner: "ana", SQL: "SELECT 2"},
			{ID: "tp3", Tenant: "acme", Name: "orders", Owner: "ana", SQL: "SELECT 3"},
		} {
			if err := db.CreateTemplate(ctx, tp); err != nil {
				t.Fatal(err)
			}
		}
		share := func(id, tenant, tpl, customer string) *inlet.TemplateShare {
			sh := &inlet.TemplateShare{ID: id, Tenant: tenant, TemplateID: tpl, Customer: customer, CreatedBy: "ana",
				Pinned: map[string][]string{"customer_id": {customer}}, Formats: []string{"csv", "xlsx"}}
			if err := db.CreateTemplateShare(ctx, sh); err != nil {
				t.Fatalf("share %s: %v", id, err)
			}
			return sh
		}
		share("s1", "default", "tp1", "custA")
		share("s2", "default", "tp1", "custB")
		share("s3", "default", "tp2", "custB")
		share("s4", "acme", "tp3", "custA")
		if err := db.CreateTemplateShare(ctx, &inlet.TemplateShare{ID: "s5", Tenant: "default", TemplateID: "tp1", Customer: "custA", CreatedBy: "ana"}); inlet.ErrorCode(err) != inlet.ECONFLICT {
			t.Errorf("sharing a template with the same customer twice: %v, want ECONFLICT", err)
		}

		ids := func(list []inlet.TemplateShare) []string {
			out := []string{}
			for _, s := range list {
				out = append(out, s.ID)
			}
			slices.Sort(out)
			return out
		}
		if list, err := db.TemplateShares(ctx, "default", "tp1"); err != nil || !slices.Equal(ids(list), []string{"s1", "s2"}) {
			t.Errorf("shares of tp1: %v %v", ids(list), err)
		}
		if list, _ := db.TemplateShares(ctx, "acme", "tp1"); len(list) != 0 {
			t.Errorf("another tenant lists tp1's shares: %v", ids(list))
		}
		// A customer sees their own shares, in the tenant asked, only.
		list, err := db.CustomerTemplateShares(ctx, "default", "custA")
		if err != nil || !slices.Equal(ids(list), []string{"s1"}) {
			t.Fatalf("custA's shares in default: %v %v", ids(list), err)
		}
		if got := list[0]; got.TemplateID != "tp1" || got.CustomerEmail != "custa@example.com" || !slices.Equal(got.Pinned["customer_id"], []string{"custA"}) ||
			!slices.Equal(got.Formats, []string{"csv", "xlsx"}) || !got.CreatedAt.Equal(e.now()) || got.CreatedBy != "ana" {
			t.Errorf("share read back: %+v", got)
		}
		if list, _ := db.CustomerTemplateShares(ctx, "acme", "custA"); !slices.Equal(ids(list), []string{"s4"}) {
			t.Errorf("custA's shares in acme: %v", ids(list))
		}
		if list, _ := db.CustomerTemplateShares(ctx, "default", "custB"); !slices.Equal(ids(list), []string{"s2", "s3"}) {
			t.Errorf("custB's shares: %v", ids(list))
		}
		if sh, err := db.CustomerTemplateShare(ctx, "default", "custA", "tp1"); err != nil || sh.ID != "s1" {
			t.Errorf("custA's share of tp1: %+v %v", sh, err)
		}
		for _, c := range [][3]string{{"default", "custA", "tp2"}, {"default", "custA", "tp3"}, {"acme", "custA", "tp1"}, {"acme", "custB", "tp3"}, {"default", "ana", "tp1"}} {
			if _, err := db.CustomerTemplateShare(ctx, c[0], c[1], c[2]); inlet.ErrorCode(err) != inlet.ENOTFOUND {
				t.Errorf("%s's share of %s in %s: %v, want ENOTFOUND", c[1], c[2], c[0], err)
			}
		}
		// No longer a customer (made staff, or removed): the shares stop.
		if err := db.SetMembership(ctx, inlet.Membership{UserID: "custB", Tenant: "default", Role: inlet.RoleViewer}); err != nil {
			t.Fatal(err)
		}
		if list, _ := db.CustomerTemplateShares(ctx, "default", "custB"); len(list) != 0 {
			t.Errorf("a former customer's shares: %v", ids(list))
		}
		// A deleted template's shares go with it.
		if err := db.DeleteTemplate(ctx, "default", "tp1"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CustomerTemplateShare(ctx, "default", "custA", "tp1"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
			t.Errorf("share of a deleted template: %v", err)
		}
		// Delete: of the tenant and template named only.
		if err := db.DeleteTemplateShare(ctx, "default", "tp3", "s4"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
			t.Errorf("deleting acme's share from default: %v", err)
		}
		if err := db.DeleteTemplateShare(ctx, "acme", "tp3", "s4"); err != nil {
			t.Fatal(err)
		}
		if list, _ := db.CustomerTemplateShares(ctx, "acme", "custA"); len(list) != 0 {
			t.Errorf("after delete: %v", ids(list))
		}
		if err := db.DeleteTemplateShare(ctx, "acme", "tp3", "s4"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
			t.Errorf("deleting twice: %v", err)
		}
	}},
}
