package export

// ScaledText is scaledText, for the external tests.
var ScaledText = scaledText
