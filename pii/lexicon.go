package pii

// The header vocabulary: what columns of personal data are called, in
// English, German, French, Spanish, Portuguese, Italian, Dutch, Polish,
// Japanese, Chinese, Hindi (Devanagari and romanised) and Arabic. Terms are
// normalised as headers are (accents, case, separators), so "Téléphone",
// "telephone" and "TELEPHONE_NR" match alike. Strong terms name the entity;
// weak ones (a person's role, "name" alone) need the values to agree.

var (
	emailTerms = vocab(`email | e-mail | mail | email address | e-mail-adresse | emailadresse | mailadresse |
		courriel | adresse e-mail | adresse électronique | correo | correo electrónico | correo-e | email de contacto |
		endereço de e-mail | endereço eletrônico | e-mail do contato | posta elettronica | indirizzo email |
		e-mailadres | adres e-mail | poczta | mejl | メール | メールアドレス | Eメール | 電子メール | 电子邮件 | 邮箱 | 电子邮箱 |
		邮件地址 | ईमेल | ई-मेल | ईमेल पता | البريد الإلكتروني | بريد إلكتروني | الايميل | إيميل | электронная почта |
		эл почта | почта`)

	phoneTerms = vocab(`phone | telephone | tel | tel no | phone number | mobile | mobile number | mobile no | cell |
		cellphone | cell phone | msisdn | fax | contact number | whatsapp | handy | handynummer | telefon | telefonnummer |
		festnetz | festnetznummer | rufnummer | mobilnummer | mobiltelefon | téléphone | portable | numéro de téléphone |
		tél | gsm | teléfono | telefono | móvil | movil | celular | número de teléfono | telemóvel | telemovel | fone |
		número de telefone | numero de telefone | telefone | contato telefônico | cellulare | numero di telefono |
		telefoon | telefoonnummer | mobiel | mobiele telefoon | gsm-nummer | komórka | telefon komórkowy | numer telefonu |
		nr telefonu | 電話 | 電話番号 | 携帯 | 携帯番号 | 携帯電話 | 連絡先電話 | 电话 | 手机 | 电话号码 | 联系电话 | 手机号 |
		手机号码 | फ़ोन | फोन | मोबाइल | फोन नंबर | मोबाइल नंबर | phone no | mobile nambar | هاتف | جوال | رقم الهاتف |
		رقم الجوال | موبايل | تليفون | телефон | мобильный | моб телефон`)

	givenNameTerms = vocab(`first name | firstname | given name | forename | christian name | vorname | rufname |
		prénom | prenom | nombre de pila | primer nombre | primeiro nome | nome próprio | nome de batismo | voornaam |
		roepnaam | imię | imie | 下の名前 | 名 | メイ | पहला नाम | pehla naam | pratham naam | имя | отчество |
		الاسم الأول | الاسم الاول | اسم أول`)

	familyNameTerms = vocab(`last name | lastname | surname | family name | second name | familienname | nachname |
		zuname | nom de famille | nom | apellido | apellidos | primer apellido | segundo apellido | sobrenome | apelido |
		último nome | ultimo nome | cognome | achternaam | familienaam | nazwisko | 姓 | 苗字 | 名字 | 氏 | 姓氏 | セイ |
		उपनाम | कुलनाम | upnaam | kulnaam | اسم العائلة | اللقب | الكنية | фамилия`)

	fullNameTerms = vocab(`full name | fullname | person name | customer name | contact name | client name |
		employee name | patient name | member name | cardholder | card holder | account holder | accountholder |
		maiden name | middle name | geburtsname | mädchenname | vollständiger name | vor- und nachname |
		name des kunden | kundenname | nom complet | nom et prénom | nom prénom | nombre completo | nombre y apellidos |
		nome completo | nome e cognome | nominativo | volledige naam | imię i nazwisko | nazwisko i imię | 氏名 |
		お名前 | 姓名 | 联系人姓名 | 客户姓名 | पूरा नाम | pura naam | الاسم الكامل | фио | полное имя`)

	// genericNameTerms say "name", of a person or of anything else.
	genericNameTerms = vocab(`name | names | nome | nombre | naam | nazwa | 名前 | 名称 | नाम | naam | الاسم | اسم`)

	kanaNameTerms = vocab(`フリガナ | ふりがな | カナ | かな | よみがな | 読み | 読み仮名 | 氏名カナ | セイメイ | furigana | kana | 拼音 | pinyin`)

	// roleTerms name people by what they are: the values say whether the
	// column holds their names.
	roleTerms = vocab(`contact | contact person | customer | client | employee | staff | owner | recipient |
		author | patient | student | teacher | doctor | attendee | participant | speaker | guest | member | applicant |
		candidate | manager | supervisor | representative | agent | signatory | beneficiary | driver | passenger |
		ansprechpartner | kontaktperson | kunde | mitarbeiter | inhaber | empfänger | teilnehmer | referent |
		bewerber | schüler | lehrer | arzt | patientin | gast | mitglied | vorgesetzter | sachbearbeiter | fahrer |
		contact principal | responsable | employé | destinataire | participant | élève | professeur | médecin | invité |
		membre | candidat | conducteur | contacto | cliente | empleado | titular | destinatario | participante |
		alumno | profesor | médico | huésped | socio | candidato | conductor | responsável | funcionário |
		colaborador | inscrito | aluno | professor | paciente | convidado | associado | dipendente | partecipante |
		studente | docente | medico | ospite | referente | klant | medewerker | deelnemer | leerling | leraar | arts |
		patiënt | gast | lid | sollicitant | klient | pracownik | uczestnik | uczeń | nauczyciel | lekarz | pacjent |
		gość | członek | kandydat | 担当者 | 担当 | 社員 | 参加者 | 申込者 | 顧客 | 会員 | 講師 | 患者 | 受講者 | 客户 |
		员工 | 联系人 | 负责人 | 参会人 | 学生 | 老师 | 申请人 | ग्राहक | कर्मचारी | प्रतिभागी | छात्र | शिक्षक |
		grahak | karmachari | العميل | الموظف | المشارك | الطالب | المعلم | المريض`)

	addressTerms = vocab(`address | street | street address | addr | address line | address line 1 | address1 |
		home address | billing address | shipping address | mailing address | residence | adresse | anschrift | straße |
		strasse | str | hausanschrift | wohnadresse | lieferadresse | rechnungsadresse | adresse postale | rue |
		domicile | dirección | direccion | domicilio | calle | endereço | endereco | morada | logradouro | rua |
		indirizzo | residenza | via | adres | straat | huisadres | ulica | adres zamieszkania | 住所 | 番地 | 所在地 |
		地址 | 住址 | 家庭住址 | पता | घर का पता | pata | العنوان | عنوان | адрес`)

	postcodeTerms = vocab(`zip | zip code | zipcode | postcode | post code | postal code | plz | postleitzahl |
		code postal | cp | código postal | codigo postal | cep | cap | kod pocztowy | 郵便番号 | 邮编 | 邮政编码 |
		पिन कोड | pincode | pin code | الرمز البريدي`)

	birthTerms = vocab(`date of birth | birth date | birthdate | dob | birthday | born | birth | geburtsdatum |
		geburtstag | geb datum | geboren | date de naissance | naissance | né le | fecha de nacimiento | nacimiento |
		fecha nac | data de nascimento | nascimento | data nasc | data di nascita | nascita | geboortedatum |
		geboren op | data urodzenia | urodzony | 生年月日 | 誕生日 | 出生日期 | 生日 | 出生年月日 | जन्म तिथि | जन्मतिथि |
		जन्म दिनांक | janm tithi | janmtithi | تاريخ الميلاد | الميلاد | дата рождения`)

	nationalIDTerms = vocab(`ssn | social security | social security number | national id | national identity |
		national insurance | ni number | nino | tax id | taxpayer id | tin | tax number | identity number | id number |
		id card | identity card | personal number | citizen id | identification number | passport | passport number |
		steuer-id | steuerid | steuer-identifikationsnummer | identifikationsnummer | steuernummer |
		sozialversicherungsnummer | svnr | personalausweis | ausweisnummer | reisepass | numéro de sécurité sociale |
		sécurité sociale | nir | insee | numéro fiscal | numéro d'identification | carte d'identité | passeport |
		dni | nie | nif | nss | número de identidad | documento de identidad | pasaporte | cpf | cnpj | rg |
		documento | identidade | número do documento | codice fiscale | carta d'identità | passaporto | bsn |
		burgerservicenummer | sofinummer | paspoort | pesel | nip | dowód osobisty | paszport | aadhaar | aadhar |
		pan card | pan number | pan no | my number | マイナンバー | 個人番号 | 身份证 | 身份证号 | 身份证号码 | 证件号码 |
		社会保障番号 | 旅券番号 | パスポート番号 | 护照号 | sin | social insurance number | tfn | tax file number | curp |
		rfc | आधार | आधार संख्या | पैन | पासपोर्ट | رقم الهوية | الهوية الوطنية | هوية | جواز السفر | الرقم القومي |
		السجل المدني | паспорт | инн | снилс`)

	accountTerms = vocab(`iban | bank account | account number | account no | bank account number | kontonummer |
		konto | bankverbindung | bankkonto | numéro de compte | rib | compte bancaire | cuenta | número de cuenta |
		cuenta bancaria | conta | conta bancária | número da conta | nib | conto | conto corrente | rekeningnummer |
		rekening | bankrekening | numer konta | konto bankowe | 口座番号 | 銀行口座 | 银行账号 | 银行卡号 | 账号 |
		खाता संख्या | खाता नंबर | khata sankhya | رقم الحساب | الحساب المصرفي | الآيبان | ايبان`)

	cardTerms = vocab(`credit card | card number | card no | cc | ccnum | cc number | creditcard | debit card |
		kreditkarte | kartennummer | karte | carte bancaire | numéro de carte | carte de crédit | tarjeta |
		número de tarjeta | tarjeta de crédito | cartão | número do cartão | cartão de crédito | carta di credito |
		numero carta | kaartnummer | creditcardnummer | karta kredytowa | numer karty | クレジットカード | カード番号 |
		信用卡 | 卡号 | 信用卡号 | क्रेडिट कार्ड | कार्ड नंबर | بطاقة الائتمان | رقم البطاقة`)

	ipTerms = vocab(`ip | ip address | ipaddress | ipv4 | ipv6 | client ip | remote addr | remote address | source ip |
		src ip | user ip | adresse ip | dirección ip | endereço ip | indirizzo ip | ip-adres | adres ip | ipアドレス |
		ip地址 | आईपी`)

	countryTerms = vocab(`country | country code | countrycode | nation | nationality | land | staat |
		staatsangehörigkeit | nationalität | pays | nationalité | país | pais | nacionalidad | nacionalidade | paese |
		nazione | nazionalità | nationaliteit | kraj | państwo | narodowość | 国 | 国名 | 国籍 | 国家 | देश | desh |
		الدولة | البلد | الجنسية | country iso`)

	// notPersonalTerms name columns of other things: products, companies,
	// places, files, codes, categories, states of things, money.
	notPersonalTerms = vocab(`id | uuid | guid | sku | ean | upc | isbn | gtin | asin | version | ver | release |
		build | hash | sha | sha256 | md5 | checksum | product | item | article | artikel | artikelnummer | produit |
		produto | prodotto | producto | produkt | 商品 | 产品 | company | firma | unternehmen | société | entreprise |
		empresa | azienda | bedrijf | 会社 | 会社名 | 公司 | 企业 | कंपनी | شركة | organisation | organization | org |
		vendor | supplier | lieferant | fournisseur | proveedor | fornecedor | fornitore | leverancier | dostawca |
		merchant | brand | marke | marque | marca | merk | city | stadt | ort | ville | ciudad | cidade | città |
		stad | miasto | 市区町村 | 都市 | 城市 | शहर | مدينة | region | bundesland | province | provincia | état |
		estado | 都道府県 | 省 | file | filename | dateiname | domain | host | hostname | url | website | category |
		kategorie | catégorie | categoría | categoria | status | state | type | typ | order | bestellung | commande |
		pedido | ordine | bestelling | zamówienie | 注文 | 订单 | invoice | rechnung | facture | factura | fatura |
		fattura | factuur | faktura | amount | betrag | montant | importe | valor | importo | bedrag | kwota | price |
		preis | prix | precio | preço | prezzo | prijs | cena | 金額 | 价格 | title | titel | titre | título | titolo |
		position | job | job title | beruf | funktion | poste | fonction | cargo | puesto | função | profissão |
		ruolo | mansione | functie | stanowisko | 役職 | 职位 | पद | المسمى الوظيفي | department | abteilung |
		département | departamento | reparto | afdeling | dział | 部署 | 部门 | team | project | projekt | projet |
		proyecto | projeto | progetto | 案件 | 项目 | skill | color | colour | farbe | couleur | size | größe | note |
		notes | comment | comments | remark | description | beschreibung | bemerkung | kommentar | commentaire |
		observación | observação | nota | opmerking | uwagi | 備考 | 备注 | event | veranstaltung | événement |
		evento | seminar | seminario | セミナー | 研修 | course | kurs | cours | curso | corso | cursus`)

	// noteTerms name free text, which may carry personal data in passing.
	noteTerms = vocab(`note | notes | comment | comments | remark | remarks | description | message | feedback |
		details | text | body | memo | bemerkung | bemerkungen | kommentar | notiz | nachricht | beschreibung |
		commentaire | remarque | message | observaciones | comentario | comentarios | mensaje | observações |
		comentário | mensagem | commento | note | messaggio | opmerking | opmerkingen | bericht | uwagi | komentarz |
		wiadomość | 備考 | コメント | メモ | 内容 | 备注 | 评论 | 留言 | टिप्पणी | ملاحظات | تعليق`)
)
