package pii

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Person names are told from other words by their shape in their script
// (capitalised words of letters, two to four Han characters, kana, Cyrillic
// patronymic endings, ...), by frequent given and family names of many
// languages (evidence, never the only rule), and by what they are not:
// companies, places, job titles, products and everyday words of the same
// languages.

// givenNames and familyNames are frequent names across the languages Inlet
// reads; folded as headers are.
var givenNames = wordSet(`
james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony mark
donald steven paul andrew joshua kevin brian george timothy ronald edward jason jeffrey ryan jacob gary eric
jonathan stephen larry justin scott brandon benjamin samuel gregory alexander frank patrick raymond jack
dennis jerry tyler aaron adam nathan henry douglas peter kyle noah ethan jeremy walter christian keith roger
sean arthur oliver harry jacob charlie alfie freddie leo archie isla amelia olivia ava emily poppy ella mia
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra
ashley kimberly donna michelle carol amanda dorothy melissa deborah stephanie rebecca sharon laura cynthia
kathleen amy angela anna brenda pamela emma nicole helen samantha katherine christine rachel catherine maria
heather diane ruth julie joyce victoria kelly lauren christina megan andrea hannah grace chloe sophie lucy
lukas leon finn jonas elias luis paul felix maximilian ben noah tim jan niklas moritz florian tobias stefan
markus andreas michael thomas sebastian christian matthias wolfgang klaus jürgen dieter uwe günter horst
hans peter frank sabine petra monika ursula birgit andrea claudia susanne stefanie nicole julia katharina
lena leonie hannah lea laura anna sophie marie mia emma lina johanna charlotte greta clara
jean pierre michel philippe alain nicolas christophe françois olivier laurent sébastien julien thierry
eric frédéric patrick antoine hugo lucas louis gabriel arthur raphaël jules théo marie nathalie isabelle
sylvie catherine françoise martine christine sophie valérie sandrine céline aurélie julie camille manon
chloé léa emma inès jade louise alice
josé antonio manuel francisco juan david javier daniel carlos jesús alejandro miguel rafael pedro pablo
ángel sergio fernando jorge luis alberto álvaro diego adrián raúl enrique ramón vicente rubén iván óscar
andrés maría carmen josefa isabel ana dolores pilar teresa rosa cristina marta laura lucía elena paula
raquel sara beatriz patricia silvia mercedes nuria irene alba
joão pedro gabriel lucas mateus matheus rafael guilherme gustavo felipe bruno leonardo rodrigo thiago tiago
vinícius eduardo marcelo ricardo paulo fernando diego andré luiz carlos antônio francisco josé ana maria
juliana fernanda mariana beatriz larissa camila amanda bruna letícia gabriela aline patrícia vanessa jéssica
luana rafaela sofia alice helena valentina laura isabela manuela júlia heloísa inês leonor matilde rita
giuseppe giovanni antonio mario luigi francesco angelo vincenzo pietro salvatore carlo franco domenico bruno
paolo michele giorgio alessandro lorenzo andrea matteo leonardo riccardo davide simone federico marco luca
stefano roberto fabio maria anna giuseppina rosa angela giovanna teresa lucia carmela caterina francesca
chiara giulia sara martina alessia elisa valentina silvia federica paola elena
jan pieter kees henk johannes willem hendrik gerrit cornelis jacobus daan sem lucas levi bram thijs ruben
jesse luuk stijn sanne lotte femke anouk eva lisa emma julia sophie fleur iris noor maud lieke
piotr krzysztof andrzej tomasz paweł michał marcin jakub adam łukasz mateusz grzegorz kamil marek maciej
anna maria katarzyna małgorzata agnieszka barbara ewa krystyna magdalena joanna aleksandra zofia monika
hiroshi takashi kenji yuki daiki haruto sota yuto riku ren takumi kazuki shota naoki akira kenta ryo
sakura yui hina aoi mio rin yuna saki misaki ayaka haruka nanami yuka yoko keiko tomoko akiko
ヒロシ タカシ ケンジ ユウキ ハルト ソウタ ユウト リク レン タクミ サクラ ユイ ヒナ アオイ ミオ リン ユナ サキ ハルカ ナナミ
ひろし たかし けんじ ゆうき はると さくら ゆい ひな あおい はるか
wei fang min jing li na xiu ying lei jun yang jie tao ming chao yan hui hong xia ping gang hua
raj amit rahul vijay sanjay arjun ravi anil sunil rakesh suresh ramesh mahesh deepak manoj ashok rohit
vikram aditya karan priya anjali sunita neha pooja kavita anita rekha meera divya sneha lakshmi geeta
राज अमित राहुल विजय संजय अर्जुन रवि अनिल सुनील प्रिया अंजलि सुनीता नेहा पूजा कविता अनीता
mohammed muhammad ahmed ali omar hassan hussein yusuf ibrahim mustafa khalid abdullah abdul karim tariq
fatima aisha zainab mariam maryam layla nour sara huda amina salma
محمد أحمد علي عمر حسن حسين يوسف إبراهيم مصطفى خالد عبدالله فاطمة عائشة زينب مريم ليلى نور سارة هدى
ivan dmitri sergei andrei alexei pavel igor vladimir nikolai mikhail olga natalia tatiana irina svetlana
elena anna maria ekaterina
иван дмитрий сергей андрей алексей павел игорь владимир николай михаил ольга наталья татьяна ирина светлана
елена анна мария екатерина
`)

var familyNames = wordSet(`
smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson
anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis
robinson walker young allen king wright scott torres nguyen hill flores green adams nelson baker hall
rivera campbell mitchell carter roberts evans turner phillips parker collins edwards stewart morris murphy
cook rogers morgan cooper peterson bailey reed kelly howard patel wood hughes price bennett gray
müller schmidt schneider fischer weber meyer wagner becker schulz hoffmann schäfer koch bauer richter klein
wolf schröder neumann schwarz zimmermann braun krüger hofmann hartmann lange schmitt werner krause meier
lehmann schmid schulze maier köhler herrmann könig walter huber kaiser fuchs peters lang scholz möller
weiß jung hahn schubert vogel friedrich keller günther frank berger winkler roth beck lorenz baumann
martin bernard dubois thomas robert richard petit durand leroy moreau simon laurent lefebvre michel garcia
david bertrand roux vincent fournier morel girard andré lefèvre mercier dupont lambert bonnet françois
martinez legrand garnier faure rousseau blanc guerin muller henry roussel nicolas perrin morin mathieu
garcía fernández gonzález rodríguez lópez martínez sánchez pérez gómez martín jiménez ruiz hernández díaz
moreno muñoz álvarez romero alonso gutiérrez navarro torres domínguez vázquez ramos gil ramírez serrano
blanco molina morales suárez ortega delgado castro ortiz rubio marín sanz núñez iglesias medina garrido
silva santos oliveira souza sousa rodrigues ferreira alves pereira lima gomes costa ribeiro martins
carvalho almeida lopes soares fernandes vieira barbosa rocha dias nascimento andrade moreira nunes marques
machado mendes freitas cardoso ramos gonçalves santana teixeira araújo pinto correia
rossi russo ferrari esposito bianchi romano colombo ricci marino greco bruno gallo conti de luca mancini
costa giordano rizzo lombardi moretti barbieri fontana santoro mariani rinaldi caruso ferrara galli
martini leone longo gentile martinelli vitale lombardo serra coppola de santis d'angelo marchetti
de jong jansen de vries van den berg van dijk bakker janssen visser smit meijer de boer mulder de groot
bos vos peters hendriks van leeuwen dekker brouwer de wit dijkstra smits de graaf van der meer
nowak kowalski wiśniewski wójcik kowalczyk kamiński lewandowski zieliński szymański woźniak dąbrowski
kozłowski jankowski mazur kwiatkowski krawczyk piotrowski grabowski nowakowski pawłowski michalski
nowakowska kowalska wiśniewska wójcik kowalczyk kamińska lewandowska zielińska szymańska woźniak
佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤 清水 山崎 森 池田 橋本 阿部
石川 山下 中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 村上 遠藤 青木 坂本 斉藤 福田 太田 西村 藤井 金子 岡本 藤原
sato suzuki takahashi tanaka ito watanabe yamamoto nakamura kobayashi kato yoshida yamada sasaki yamaguchi
matsumoto inoue kimura hayashi saito shimizu
サトウ スズキ タカハシ タナカ イトウ ワタナベ ヤマモト ナカムラ コバヤシ カトウ ヨシダ ヤマダ ササキ ヤマグチ マツモト イノウエ キムラ
さとう すずき たかはし たなか いとう わたなべ やまもと なかむら こばやし かとう よしだ やまだ
王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 田 董 袁 潘 于 蒋 蔡 余
wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng liang xie
sharma verma gupta kumar singh patel shah mehta joshi reddy rao nair iyer menon pillai das bose banerjee
chatterjee mukherjee agarwal jain malhotra kapoor khanna chopra bhatia saxena mishra pandey tiwari yadav
शर्मा वर्मा गुप्ता कुमार सिंह पटेल शाह मेहता जोशी रेड्डी राव नायर दास बोस बनर्जी अग्रवाल जैन कपूर मिश्रा पांडे तिवारी यादव
al-sayed al-rashid al-ahmad al-hassan al-ali haddad khalil nasser saleh mansour aziz rahman hamdan
الأحمد الحسن العلي الرشيد حداد خليل ناصر صالح منصور عزيز الرحمن حمدان
ivanov smirnov kuznetsov popov vasiliev petrov sokolov mikhailov novikov fedorov morozov volkov
иванов смирнов кузнецов попов васильев петров соколов михайлов новиков федоров морозов волков
иванова смирнова кузнецова попова васильева петрова соколова михайлова новикова федорова морозова волкова
`)

// hanSurnames are the first characters of most Chinese and Japanese family
// names: a two-to-four character Han value starting with one is a name
// more often than not.
var hanSurnames = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range `王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤` +
		`佐鈴高田伊渡山中小加吉松井木林斎清森池橋阿石前岡長藤後近村遠青坂斉福太西金原野大菊久今宮平新内竹和小谷工杉増丸柴酒堀千横野荒古菅坂島北` {
		m[r] = true
	}
	return m
}()

// companyWords mark an organisation wherever they stand in a value.
var companyWords = wordSet(`inc ltd llc gmbh corp corporation co company plc sa ag bv nv group holdings limited
technologies technology solutions services systems industries partners associates enterprises international
global bank foundation university institute ltda sarl sas srl spa kg ohg ug eurl sl oy ab kk pvt snc lda
株式会社 有限会社 合同会社 有限公司 股份有限公司 集团 公司 ооо зао оао пао`)

// notNames are words of the same shapes that are not people: places, job
// titles, products, colours, months and other everyday words. A value of
// them only is not a name; one of them beside a name may be (Brown, Rose).
var notNames = wordSet(`
london paris berlin madrid rome roma lisbon lisboa amsterdam warsaw warszawa vienna wien zurich zürich
munich münchen hamburg cologne köln frankfurt stuttgart düsseldorf leipzig dresden hannover bremen lyon
marseille toulouse nice nantes bordeaux lille barcelona valencia sevilla bilbao porto são paulo rio de janeiro
brasília salvador fortaleza belo horizonte curitiba recife milan milano naples napoli turin torino florence
firenze venice venezia bologna genoa genova rotterdam utrecht eindhoven kraków krakow łódź wrocław poznań
gdańsk tokyo osaka kyoto yokohama nagoya sapporo kobe fukuoka 東京 大阪 京都 横浜 名古屋 札幌 神戸 福岡
beijing shanghai shenzhen guangzhou chengdu 北京 上海 深圳 广州 成都 杭州 mumbai delhi bangalore bengaluru
chennai kolkata hyderabad pune new york los angeles chicago houston boston seattle dubai riyadh cairo
manchester birmingham liverpool leeds glasgow edinburgh dublin brussels bruxelles geneva genève
manager director engineer developer analyst consultant accountant assistant administrator designer architect
teacher nurse doctor lawyer clerk officer specialist coordinator executive president intern technician
sales marketing finance support operations
ingenieur ingenieurin entwickler entwicklerin berater beraterin leiter leiterin geschäftsführer
sachbearbeiter sachbearbeiterin kaufmann kauffrau buchhalter assistent assistentin
ingénieur ingénieure développeur développeuse directeur directrice chef comptable assistante consultant
gerente director directora ingeniero ingeniera desarrollador contable asistente consultor
gerente diretor diretora engenheiro engenheira desenvolvedor contador assistente analista consultor
direttore direttrice ingegnere sviluppatore contabile assistente consulente responsabile
directeur ontwikkelaar adviseur medewerker kierownik inżynier programista księgowy asystent dyrektor
部長 課長 係長 主任 社長 取締役 エンジニア マネージャー 営業 事務 経理 総務 人事 经理 工程师 主管 总监 会计 助理
widget gadget device tool product service plan basic premium standard pro plus edition bundle kit pack
red blue green yellow black white grey gray orange purple pink brown silver gold rot blau grün gelb schwarz
weiß rouge bleu vert jaune noir blanc rojo azul verde amarillo negro blanco vermelho preto branco rosso
nero bianco giallo rood blauw groen zwart wit czerwony niebieski zielony czarny biały
january february march april may june july august september october november december januar februar
märz mai juni juli oktober dezember janvier février mars avril juin juillet août septembre octobre
novembre décembre enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
janeiro fevereiro março maio junho julho setembro outubro dezembro gennaio febbraio aprile maggio giugno
luglio settembre ottobre dicembre
monday tuesday wednesday thursday friday saturday sunday montag dienstag mittwoch donnerstag freitag samstag
sonntag lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles jueves viernes sábado
domingo
active inactive pending approved rejected open closed new done yes no true false aktiv inaktiv offen
geschlossen actif inactif ouvert fermé activo inactivo abierto cerrado ativo inativo aberto fechado
attivo inattivo aperto chiuso actief gesloten aktywny zamknięty
north south east west central nord süd ost west sud est ouest norte sur este oeste centro
`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[foldText(w)] = true
	}
	return m
}

// nameParticles are lowercase words inside names: von, da, de la, ...
var nameParticles = wordSet(`de da das do dos du des del della di la le van von der den ten ter zu y e bin ibn al el ben`)

// nameTokens splits a value into the words of a name.
func nameTokens(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool {
		return r == ' ' || r == ',' || r == '\u3000' || r == '・' || r == '·' || r == '\t' || r == '/'
	})
}

// nameShape reports whether v is written as a person's name is, in its
// script: one to four words of letters (with - ' .), Latin, Cyrillic and
// Greek words capitalised, no digits; or two to four Han characters; or
// kana; or words of Devanagari or Arabic letters.
func nameShape(v string) bool {
	if v == "" || utf8.RuneCountInString(v) > 40 {
		return false
	}
	toks := nameTokens(v)
	if len(toks) == 0 || len(toks) > 4 {
		return false
	}
	han := 0
	for i, tok := range toks {
		first, _ := utf8.DecodeRuneInString(tok)
		sc := scriptOf(first)
		letters := 0
		for _, r := range tok {
			switch {
			case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
				letters++
				if s := scriptOf(r); s != sc && !(sc == scriptHan && s == scriptKana) && !(sc == scriptKana && s == scriptHan) {
					return false // one script per word
				}
			case r == '-' || r == '\'' || r == '’' || r == '.':
			default:
				return false
			}
		}
		if letters == 0 {
			return false
		}
		switch sc {
		case scriptLatin, scriptCyrillic, scriptGreek:
			if nameParticles[foldText(tok)] && i > 0 && i < len(toks)-1 {
				continue
			}
			if !capitalised(tok) {
				return false
			}
		case scriptHan:
			han += letters
		case scriptKana, scriptDevanagari, scriptArabic, scriptHangul, scriptHebrew, scriptThai:
		default:
			return false
		}
	}
	if han > 6 || han == 1 && !(len(toks) == 1 && hanSurnames[firstRune(toks[0])]) {
		return false // one Han character is a name only as a family name
	}
	return true
}

// looseNameShape is nameShape without its capitals: names typed into web
// forms ("maria garcia", "GARCIA, maria"), trusted only where the header
// says the column holds names.
func looseNameShape(v string) bool {
	toks := nameTokens(v)
	if len(toks) == 0 || len(toks) > 4 || utf8.RuneCountInString(v) > 40 {
		return false
	}
	for _, tok := range toks {
		for _, r := range tok {
			if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) && r != '-' && r != '\'' && r != '’' && r != '.' {
				return false
			}
		}
	}
	return true
}

// shortHan: one to three Han characters and nothing else.
func shortHan(v string) bool {
	n := 0
	for _, r := range v {
		if scriptOf(r) != scriptHan {
			return false
		}
		n++
	}
	return n >= 1 && n <= 3
}

// capitalised: an upper-case first letter and lower-case letters after it
// (McDonald, O'Neil, Anne-Marie), or all capitals (SMITH).
func capitalised(tok string) bool {
	upper, lower := 0, 0
	first := true
	for _, r := range tok {
		if !unicode.IsLetter(r) {
			continue
		}
		if first && !unicode.IsUpper(r) {
			return false
		}
		first = false
		if unicode.IsUpper(r) {
			upper++
		} else {
			lower++
		}
	}
	return lower > 0 || upper >= 2
}

// knownName reports whether a value holds a frequent given or family name.
func knownName(v string) bool {
	toks := nameTokens(v)
	if len(toks) == 0 {
		return false // punctuation only
	}
	for _, t := range toks {
		f := foldText(strings.Trim(t, ".,"))
		if givenNames[f] || familyNames[f] {
			return true
		}
	}
	if r := firstRune(toks[0]); scriptOf(r) == scriptHan || scriptOf(r) == scriptKana {
		// A Han or kana name without a space starts with a family name:
		// its first one to three characters.
		if scriptOf(r) == scriptHan && hanSurnames[r] && utf8.RuneCountInString(v) <= 6 {
			return true
		}
		rs := []rune(toks[0])
		for n := 2; n <= 4 && n < len(rs); n++ {
			if familyNames[string(rs[:n])] {
				return true
			}
		}
	}
	// Russian family names and patronymics have telling endings.
	for _, t := range toks {
		f := foldText(t)
		for _, end := range []string{"ов", "ев", "ёв", "ин", "ова", "ева", "ина", "ский", "ская", "вич", "вна"} {
			if strings.HasSuffix(f, end) && utf8.RuneCountInString(f) > len([]rune(end))+2 {
				return true
			}
		}
	}
	return false
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// notAName reports whether a value is known not to be a person: a company
// (by its suffix), or only words that are places, job titles, products, ...
func notAName(v string) bool {
	if notNames[foldText(v)] {
		return true
	}
	toks := nameTokens(v)
	others := 0
	for _, t := range toks {
		f := foldText(strings.Trim(t, ".,()&"))
		if companyWords[f] {
			return true
		}
		if notNames[f] {
			others++
		}
	}
	if r := firstRune(v); scriptOf(r) == scriptHan || scriptOf(r) == scriptKana {
		for w := range companyWords {
			if strings.Contains(v, w) && !isASCIIWord(w) {
				return true // 株式会社山田商事
			}
		}
	}
	return len(toks) > 0 && others == len(toks)
}

func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= 0x80 {
			return false
		}
	}
	return true
}
