package pii

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// countries maps what a country column may hold (ISO 3166 alpha-2 and
// alpha-3 codes, names in English and in the country's languages, and in
// the languages of the header vocabulary) to the alpha-2 code that phone
// numbers are parsed with.
var countries = map[string]string{}

func init() {
	for _, row := range strings.Split(countryTable, "\n") {
		f := strings.Split(row, "|")
		if len(f) < 2 {
			continue
		}
		iso2 := strings.TrimSpace(f[0])
		for _, name := range f {
			if name = foldText(strings.TrimSpace(name)); name != "" {
				countries[name] = iso2
			}
		}
	}
}

// IsRegion reports whether code is a region phone numbers can be read in:
// an upper-case ISO 3166 alpha-2 code that has a telephone numbering plan.
func IsRegion(code string) bool {
	return len(code) == 2 && phonenumbers.GetSupportedRegions()[code]
}

// SupportedRegions lists every region IsRegion accepts; do not modify it.
func SupportedRegions() map[string]bool { return phonenumbers.GetSupportedRegions() }

// RegionOf reads a country cell as regionOf does, for ingest.
func RegionOf(v string) string { return regionOf(v) }

// regionOf reads a country cell: "DE", "DEU", "Germany", "Deutschland",
// "Allemagne", "ドイツ", ... → "DE"; "" when it is none of them.
func regionOf(v string) string {
	return countries[foldText(strings.TrimSpace(v))]
}

// defaultRegions are tried, with the upload's region and the tenant's
// countries, for numbers written without a country code or a country column.
var defaultRegions = []string{"US", "GB", "DE", "FR", "ES", "IT", "PT", "BR", "NL", "PL", "JP", "CN", "IN", "MX", "CA", "AU", "AE", "SA", "CH", "AT", "BE"}

const countryTable = `US|USA|United States|United States of America|America|Vereinigte Staaten|États-Unis|Etats-Unis|Estados Unidos|EUA|Stati Uniti|Verenigde Staten|Stany Zjednoczone|アメリカ|米国|アメリカ合衆国|美国|अमेरिका|الولايات المتحدة|أمريكا
GB|GBR|UK|United Kingdom|Great Britain|Britain|England|Scotland|Wales|Vereinigtes Königreich|Großbritannien|Royaume-Uni|Angleterre|Reino Unido|Inglaterra|Regno Unito|Inghilterra|Verenigd Koninkrijk|Engeland|Wielka Brytania|Anglia|イギリス|英国|इंग्लैंड|ब्रिटेन|المملكة المتحدة|بريطانيا
DE|DEU|Germany|Deutschland|Allemagne|Alemania|Alemanha|Germania|Duitsland|Niemcy|ドイツ|德国|जर्मनी|ألمانيا
FR|FRA|France|Frankreich|Francia|França|Frankrijk|Francja|フランス|法国|फ्रांस|فرنسا
ES|ESP|Spain|España|Spanien|Espagne|Espanha|Spagna|Spanje|Hiszpania|スペイン|西班牙|स्पेन|إسبانيا
PT|PRT|Portugal|Portugalia|Portogallo|ポルトガル|葡萄牙|पुर्तगाल|البرتغال
BR|BRA|Brazil|Brasil|Brasilien|Brésil|Brasile|Brazilië|Brazylia|ブラジル|巴西|ब्राज़ील|البرازيل
IT|ITA|Italy|Italia|Italien|Italie|Itália|Italië|Włochy|イタリア|意大利|इटली|إيطاليا
NL|NLD|Netherlands|The Netherlands|Holland|Nederland|Niederlande|Pays-Bas|Países Bajos|Países Baixos|Paesi Bassi|Holandia|オランダ|荷兰|नीदरलैंड|هولندا
BE|BEL|Belgium|Belgien|Belgique|Bélgica|Belgio|België|Belgia|ベルギー|比利时|بلجيكا
CH|CHE|Switzerland|Schweiz|Suisse|Suiza|Suíça|Svizzera|Zwitserland|Szwajcaria|スイス|瑞士|سويسرا
AT|AUT|Austria|Österreich|Autriche|Áustria|Oostenrijk|オーストリア|奥地利|النمسا
PL|POL|Poland|Polska|Polen|Pologne|Polonia|Polónia|ポーランド|波兰|पोलैंड|بولندا
JP|JPN|Japan|Japon|Japón|Japão|Giappone|Japonia|日本|जापान|اليابان
CN|CHN|China|Chine|Cina|Chiny|中国|中華人民共和国|中华人民共和国|चीन|الصين
IN|IND|India|Indien|Inde|Índia|Indie|Indie|インド|印度|भारत|Bharat|الهند
MX|MEX|Mexico|México|Mexiko|Mexique|Messico|Mexico|Meksyk|メキシコ|墨西哥|मेक्सिको|المكسيك
CA|CAN|Canada|Kanada|Canadá|カナダ|加拿大|कनाडा|كندا
AU|AUS|Australia|Australien|Australie|Austrália|Australië|オーストラリア|澳大利亚|ऑस्ट्रेलिया|أستراليا
IE|IRL|Ireland|Irland|Irlande|Irlanda|Ierland|Irlandia|アイルランド|爱尔兰|أيرلندا
SE|SWE|Sweden|Schweden|Suède|Suecia|Suécia|Svezia|Zweden|Szwecja|スウェーデン|瑞典|السويد
NO|NOR|Norway|Norwegen|Norvège|Noruega|Norvegia|Noorwegen|Norwegia|ノルウェー|挪威|النرويج
DK|DNK|Denmark|Dänemark|Danemark|Dinamarca|Danimarca|Denemarken|Dania|デンマーク|丹麦|الدنمارك
FI|FIN|Finland|Finnland|Finlande|Finlandia|Finlândia|Finlandia|フィンランド|芬兰|فنلندا
AR|ARG|Argentina|Argentinien|Argentine|Argentinië|Argentyna|アルゼンチン|阿根廷|الأرجنتين
CL|CHL|Chile|Chili|Cile|チリ|智利|تشيلي
CO|COL|Colombia|Kolumbien|Colombie|Colômbia|Kolumbia|コロンビア|哥伦比亚|كولومبيا
PE|PER|Peru|Perú|Pérou|ペルー|秘鲁|بيرو
ZA|ZAF|South Africa|Südafrika|Afrique du Sud|Sudáfrica|África do Sul|Sudafrica|Zuid-Afrika|RPA|南アフリカ|南非|جنوب أفريقيا
NG|NGA|Nigeria|Nigéria|ナイジェリア|尼日利亚|نيجيريا
EG|EGY|Egypt|Ägypten|Égypte|Egipto|Egito|Egitto|Egypte|Egipt|エジプト|埃及|مصر
SA|SAU|Saudi Arabia|Saudi-Arabien|Arabie saoudite|Arabia Saudita|Arábia Saudita|Saoedi-Arabië|Arabia Saudyjska|サウジアラビア|沙特阿拉伯|السعودية|المملكة العربية السعودية
AE|ARE|UAE|United Arab Emirates|Vereinigte Arabische Emirate|Émirats arabes unis|Emiratos Árabes Unidos|Emirados Árabes Unidos|Emirati Arabi Uniti|アラブ首長国連邦|阿联酋|الإمارات|الامارات
TR|TUR|Turkey|Türkiye|Türkei|Turquie|Turquía|Turquia|Turchia|Turkije|Turcja|トルコ|土耳其|تركيا
RU|RUS|Russia|Russland|Russie|Rusia|Rússia|Russia|Rusland|Rosja|Россия|ロシア|俄罗斯|روسيا
UA|UKR|Ukraine|Ucrania|Ucrânia|Ucraina|Oekraïne|Ukraina|Украина|Україна|ウクライナ|乌克兰|أوكرانيا
KR|KOR|South Korea|Korea|Südkorea|Corée du Sud|Corea del Sur|Coreia do Sul|Corea del Sud|Zuid-Korea|Korea Południowa|韓国|韩国|대한민국|كوريا الجنوبية
SG|SGP|Singapore|Singapur|Singapour|Cingapura|シンガポール|新加坡|سنغافورة
HK|HKG|Hong Kong|香港
TW|TWN|Taiwan|Taïwan|Taiwán|台湾|臺灣
NZ|NZL|New Zealand|Neuseeland|Nouvelle-Zélande|Nueva Zelanda|Nova Zelândia|Nuova Zelanda|Nieuw-Zeeland|Nowa Zelandia|ニュージーランド|新西兰|نيوزيلندا
CZ|CZE|Czech Republic|Czechia|Tschechien|République tchèque|Chequia|Tchéquia|Repubblica Ceca|Tsjechië|Czechy|チェコ|捷克
GR|GRC|Greece|Griechenland|Grèce|Grecia|Grécia|Griekenland|Grecja|ギリシャ|希腊|اليونان
RO|ROU|Romania|Rumänien|Roumanie|Rumania|Roménia|Roemenië|Rumunia|ルーマニア|罗马尼亚
HU|HUN|Hungary|Ungarn|Hongrie|Hungría|Hungria|Ungheria|Hongarije|Węgry|ハンガリー|匈牙利
IL|ISR|Israel|Israël|Israele|Izrael|イスラエル|以色列|إسرائيل
PK|PAK|Pakistan|Paquistão|パキスタン|巴基斯坦|पाकिस्तान|باكستان
BD|BGD|Bangladesh|Bangladesch|バングラデシュ|孟加拉国|बांग्लादेश|بنغلاديش
ID|IDN|Indonesia|Indonesien|Indonésie|Indonésia|Indonesië|Indonezja|インドネシア|印度尼西亚|إندونيسيا
PH|PHL|Philippines|Philippinen|Filipinas|Filippine|Filipijnen|Filipiny|フィリピン|菲律宾|الفلبين
TH|THA|Thailand|Thaïlande|Tailandia|Tailândia|Thailandia|Tajlandia|タイ|泰国|تايلاند
VN|VNM|Vietnam|Viêt Nam|Viet Nam|Wietnam|ベトナム|越南|فيتنام
MA|MAR|Morocco|Marokko|Maroc|Marruecos|Marrocos|Marocco|Maroko|モロッコ|摩洛哥|المغرب
LU|LUX|Luxembourg|Luxemburg|Luxemburgo|Lussemburgo|Luksemburg|ルクセンブルク|卢森堡
`
