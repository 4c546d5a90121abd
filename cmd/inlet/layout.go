package main

import (
	"fmt"
	"strconv"

	inlet "github.com/inlet-data/inlet"
)

// layoutFlags are the reading options inspect and ingest share: each
// overrides what inspection detects, as the review page's controls do.
type layoutFlags struct {
	sheet, delimiter, quote, encoding, header, skipRows *string
	ignoreExtra                                         *bool
}

func addLayoutFlags(fs *flagSet) layoutFlags {
	return layoutFlags{
		sheet:       fs.String("sheet", "", "XLSX sheet to read (default: the one with the most data)"),
		delimiter:   fs.String("delimiter", "", "CSV delimiter (default: detected)"),
		quote:       fs.String("quote", "", `CSV quote character: " or ', or none when quotes are part of the values (default: detected)`),
		encoding:    fs.String("encoding", "", "text encoding, e.g. shift_jis or windows-1252 (default: detected)"),
		header:      fs.String("header", "", "whether the first row (after title rows) is the header: true or false (default: detected)"),
		skipRows:    fs.String("skip-rows", "", "title rows to skip above the header (default: detected)"),
		ignoreExtra: fs.Bool("ignore-extra-cells", false, "XLSX: ignore cells right of the header (a note beside the table) instead of refusing the sheet"),
	}
}

// options turns the flags into inspection options; a bad value is an error.
func (l layoutFlags) options() (inlet.InspectOptions, error) {
	o := inlet.InspectOptions{Sheet: *l.sheet, Delimiter: *l.delimiter, Quote: *l.quote, Encoding: *l.encoding, IgnoreExtraCells: *l.ignoreExtra}
	if *l.header != "" {
		b, err := strconv.ParseBool(*l.header)
		if err != nil {
			return o, &usageError{fmt.Sprintf("--header must be true or false, not %q", *l.header)}
		}
		o.Header = &b
	}
	if *l.skipRows != "" {
		n, err := strconv.Atoi(*l.skipRows)
		if err != nil || n < 0 {
			return o, &usageError{fmt.Sprintf("--skip-rows must be a whole number, not %q", *l.skipRows)}
		}
		o.SkipRows = &n
	}
	return o, nil
}

// suggestionFlags are the command-line flags that take a suggestion.
func suggestionFlags(s inlet.Suggestion) string {
	o := s.Options
	switch {
	case s.OnError != "":
		return "--on-error " + s.OnError + " (ingest)"
	case o.Header != nil:
		return fmt.Sprintf("--header=%t", *o.Header)
	case o.SkipRows != nil:
		return fmt.Sprintf("--skip-rows %d", *o.SkipRows)
	case o.Encoding != "":
		return "--encoding " + o.Encoding
	case o.Quote != "":
		return "--quote " + o.Quote
	case o.IgnoreExtraCells:
		return "--ignore-extra-cells"
	case o.Sheet != "":
		return "--sheet " + strconv.Quote(o.Sheet)
	}
	return ""
}
