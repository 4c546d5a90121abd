package storetest

import "time"

var lockCases = []testCase{
	{"locks/one holder at a time, until its lease runs out", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		try := func(name, holder string) bool {
			t.Helper()
			ok, err := db.TryLock(ctx, name, holder, 30*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !try("tus:u1", "a") {
			t.Fatal("a free lock was not taken")
		}
		if try("tus:u1", "b") {
			t.Fatal("b took a lock a holds")
		}
		if !try("tus:u2", "b") {
			t.Fatal("another name is another lock")
		}
		e.clk.Add(20 * time.Second)
		if !try("tus:u1", "a") { // renewed: 30 s from now
			t.Fatal("the holder could not renew")
		}
		e.clk.Add(20 * time.Second)
		if try("tus:u1", "b") {
			t.Fatal("b took a renewed lock before its lease ran out")
		}
		// The holder died: its lease runs out and the lock is free.
		e.clk.Add(11 * time.Second)
		if !try("tus:u1", "b") {
			t.Fatal("b could not take a lock whose lease ran out")
		}
		// a, back, neither renews nor releases what is now b's.
		if try("tus:u1", "a") {
			t.Fatal("a took back a lock b holds")
		}
		if err := db.Unlock(ctx, "tus:u1", "a"); err != nil {
			t.Fatal(err)
		}
		if try("tus:u1", "c") {
			t.Fatal("a's unlock freed b's lock")
		}
		if err := db.Unlock(ctx, "tus:u1", "b"); err != nil {
			t.Fatal(err)
		}
		if !try("tus:u1", "c") {
			t.Fatal("a released lock could not be taken")
		}
		if _, err := db.TryLock(ctx, "", "a", time.Second); err == nil {
			t.Error("a lock without a name was taken")
		}
		// Sweeping locks left behind by dead holders keeps the live ones.
		try("tus:u3", "dead")
		e.clk.Add(30*time.Second + time.Hour + time.Second)
		try("tus:u4", "alive")
		if err := db.DeleteStaleLocks(ctx, time.Hour); err != nil {
			t.Fatal(err)
		}
		if try("tus:u4", "other") {
			t.Error("a live lock was deleted as stale")
		}
	}},
}
