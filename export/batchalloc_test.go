package export

import (
	"testing"
	"unsafe"
)

func TestBatchAllocator(t *testing.T) {
	a := newBatchAllocator()
	aligned := func(b []byte) bool { return uintptr(unsafe.Pointer(unsafe.SliceData(b[:1])))%alignment == 0 }
	for _, size := range []int{1, 63, 64, 65, 1000, 4096, 1<<20 + 3} {
		b := a.Allocate(size)
		if len(b) != size || !aligned(b) {
			t.Fatalf("Allocate(%d): len %d, aligned %v", size, len(b), aligned(b))
		}
		for i := range b {
			b[i] = 0xAB
		}
		a.Free(b)
		// The same buffer comes back, zeroed over all of it.
		c := a.Allocate(size)
		if unsafe.SliceData(c) != unsafe.SliceData(b) {
			t.Errorf("Allocate(%d) after Free: a new buffer, want the freed one again", size)
		}
		for i, v := range c[:cap(c)] {
			if v != 0 {
				t.Fatalf("Allocate(%d) after Free: byte %d is %#x, want 0", size, i, v)
			}
		}
	}

	// A buffer freed twice is kept once: two batches never share it.
	b := a.Allocate(500)
	a.Free(b)
	a.Free(b)
	x, y := a.Allocate(500), a.Allocate(500)
	if unsafe.SliceData(x) == unsafe.SliceData(y) {
		t.Fatal("a buffer freed twice was handed out twice")
	}

	// Reallocate keeps the contents.
	r := a.Allocate(100)
	copy(r, "inlet")
	r = a.Reallocate(3000, r)
	if len(r) != 3000 || string(r[:5]) != "inlet" || r[5] != 0 || r[2999] != 0 {
		t.Fatalf("Reallocate: len %d, %q", len(r), r[:6])
	}

	// What is kept is bounded; buffers past the largest class are the
	// collector's, as is memory that is not the allocator's.
	before := a.kept
	a.Free(a.Allocate(1<<maxClass + 1))
	a.Free(make([]byte, 100))
	if a.kept != before {
		t.Errorf("kept %d more bytes: a buffer past the largest class, or not the allocator's", a.kept-before)
	}
	var held [][]byte
	for range keepBytes/(1<<20) + 8 {
		held = append(held, a.Allocate(1<<20))
	}
	for _, h := range held {
		a.Free(h)
	}
	if a.kept > keepBytes {
		t.Errorf("kept %d bytes, more than %d", a.kept, keepBytes)
	}
}
