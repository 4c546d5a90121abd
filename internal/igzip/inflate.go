package igzip

/*
#include <stdlib.h>
#include <isa-l/igzip_lib.h>

static void inflate_start(struct inflate_state *s) {
	isal_inflate_init(s);
	s->crc_flag = ISAL_DEFLATE;
}

// inflate_step is one isal_inflate call over in, into out. As with
// deflate, the state keeps no pointer to either once it returns: igzip
// keeps the history it needs (32 KiB of output) in its own buffer.
static int inflate_step(struct inflate_state *s, uint8_t *in, uint32_t n, uint8_t *out, uint32_t outn,
                        uint32_t *used, uint32_t *produced, int *finished) {
	s->next_in = in;
	s->avail_in = n;
	s->next_out = out;
	s->avail_out = outn;
	int r = isal_inflate(s);
	*used = n - s->avail_in;
	*produced = outn - s->avail_out;
	*finished = s->block_state == ISAL_BLOCK_FINISH;
	s->next_in = NULL;
	s->avail_in = 0;
	s->next_out = NULL;
	s->avail_out = 0;
	return r;
}
*/
import "C"

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"unsafe"
)

// inSize is how much compressed input a Reader reads at a time.
const inSize = 64 << 10

// Reader decompresses a raw deflate stream (a zip entry's). Measured on
// the sheet of a 200 000-row workbook, compress/flate's inflater was
// 15 % of reading it. A corrupt stream is an error, never short data;
// archive/zip checks each entry's CRC-32 besides.
type Reader struct {
	r       io.Reader
	state   *C.struct_inflate_state
	cleanup runtime.Cleanup
	in      []byte
	start   int // in[start:end] is read and not yet inflated
	end     int
	eof     bool // r has no more
	done    bool // the stream's last block is out
	err     error
}

// NewReader returns a Reader of r, with the signature archive/zip's
// RegisterDecompressor takes.
func NewReader(r io.Reader) io.ReadCloser {
	s := (*C.struct_inflate_state)(C.calloc(1, C.size_t(unsafe.Sizeof(C.struct_inflate_state{}))))
	if s == nil {
		return &Reader{err: errors.New("igzip: out of memory")}
	}
	C.inflate_start(s)
	z := &Reader{r: r, state: s, in: make([]byte, inSize)}
	z.cleanup = runtime.AddCleanup(z, func(s *C.struct_inflate_state) { C.free(unsafe.Pointer(s)) }, s)
	return z
}

func (z *Reader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, z.err
	}
	for z.err == nil {
		if z.done {
			return 0, io.EOF
		}
		if z.start == z.end && !z.eof {
			n, err := z.r.Read(z.in)
			z.start, z.end = 0, n
			if err == io.EOF {
				z.eof = true
			} else if err != nil {
				z.err = err
				break
			}
		}
		used, produced, finished, r := z.step(z.in[z.start:z.end], p)
		z.start += used
		z.done = finished
		switch {
		case r < 0:
			z.err = fmt.Errorf("igzip: corrupt deflate data (ISA-L error %d)", r)
		case produced > 0:
			return produced, nil
		case z.eof && z.start == z.end && !finished:
			z.err = io.ErrUnexpectedEOF
		}
	}
	return 0, z.err
}

// step runs igzip once.
func (z *Reader) step(in, out []byte) (used, produced int, finished bool, r int) {
	if z.state == nil {
		return 0, 0, false, int(C.ISAL_INVALID_STATE)
	}
	var u, p C.uint32_t
	var f C.int
	inPtr := (*C.uint8_t)(unsafe.Pointer(&out[0])) // any valid pointer for no input
	if len(in) > 0 {
		inPtr = (*C.uint8_t)(unsafe.Pointer(&in[0]))
	}
	outLen := min(len(out), 1<<30)
	rc := C.inflate_step(z.state, inPtr, C.uint32_t(len(in)), (*C.uint8_t)(unsafe.Pointer(&out[0])), C.uint32_t(outLen), &u, &p, &f)
	return int(u), int(p), f != 0, int(rc)
}

// Close frees the Reader's C memory; it does not close the underlying
// reader.
func (z *Reader) Close() error {
	if z.state != nil {
		z.cleanup.Stop()
		C.free(unsafe.Pointer(z.state))
		z.state = nil
	}
	if z.err == nil {
		z.err = errors.New("igzip: read after close")
	}
	return nil
}
