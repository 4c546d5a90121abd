package export

import (
	"math/bits"
	"sync"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// batchAllocator is the Arrow allocator of an unload read back batch by
// batch: the buffers of a released batch are kept and handed to the next
// one, so reading an export's rows makes next to no garbage. With Go's
// allocator every batch was fresh memory, and collecting it was a tenth of
// an XLSX export's time. Arrow frees a buffer when its last reference is
// released (the record reader releases a batch when it reads the next), so
// a kept buffer is no longer in use.
//
// Buffers are powers of two from 64 bytes, 64-byte aligned as Arrow wants,
// and zeroed before they are handed out again, as Go's memory is. At most
// keepBytes are kept; larger buffers and the rest go to the collector.
type batchAllocator struct {
	mu   sync.Mutex
	free [maxClass + 1][][]byte // by log2 of the size
	kept int
	// ours marks the buffers in free, so that a buffer freed twice is kept
	// once: two batches must never share one.
	ours map[*byte]bool
}

const (
	minClass  = 6  // 64 bytes
	maxClass  = 26 // 64 MiB
	keepBytes = 64 << 20
	alignment = 64
)

var _ memory.Allocator = (*batchAllocator)(nil)

func newBatchAllocator() *batchAllocator {
	return &batchAllocator{ours: map[*byte]bool{}}
}

// class is the smallest power of two (as its log2) that holds size.
func class(size int) int {
	if size <= 1<<minClass {
		return minClass
	}
	return bits.Len(uint(size - 1))
}

func (a *batchAllocator) Allocate(size int) []byte {
	c := class(size)
	if c > maxClass {
		return memory.DefaultAllocator.Allocate(size)
	}
	a.mu.Lock()
	if n := len(a.free[c]); n > 0 {
		b := a.free[c][n-1]
		a.free[c] = a.free[c][:n-1]
		a.kept -= cap(b)
		delete(a.ours, unsafe.SliceData(b))
		a.mu.Unlock()
		b = b[:cap(b)]
		clear(b)
		return b[:size]
	}
	a.mu.Unlock()
	raw := make([]byte, 1<<c+alignment)
	off := 0
	if r := int(uintptr(unsafe.Pointer(unsafe.SliceData(raw))) % alignment); r != 0 {
		off = alignment - r
	}
	return raw[off : off+size : off+1<<c]
}

func (a *batchAllocator) Reallocate(size int, b []byte) []byte {
	if size == len(b) {
		return b
	}
	nb := a.Allocate(size)
	copy(nb, b)
	a.Free(b)
	return nb
}

// poisonFreed makes Free fill what it keeps with 0xA5, for the tests: a
// buffer still in use after its release then shows as wrong values
// instead of going unnoticed until it is handed out again.
var poisonFreed = false

func (a *batchAllocator) Free(b []byte) {
	c := cap(b)
	if c < 1<<minClass || c > 1<<maxClass || c&(c-1) != 0 || uintptr(unsafe.Pointer(unsafe.SliceData(b[:1])))%alignment != 0 {
		return // not one of ours: the collector's
	}
	if poisonFreed {
		whole := b[:c]
		for i := range whole {
			whole[i] = 0xA5
		}
	}
	p := unsafe.SliceData(b[:1])
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ours[p] || a.kept+c > keepBytes {
		return
	}
	a.ours[p] = true
	a.kept += c
	k := bits.Len(uint(c)) - 1
	a.free[k] = append(a.free[k], b[:0])
}
