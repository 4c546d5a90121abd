package pii_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// The evaluation's locales: names, streets, phones, ids, dates and the
// headers files of each country use. Half of each name list is not in the
// detector's own lists of frequent names, so that detection must rest on
// the shape of names, not on knowing them. No real people: the names are
// frequent names recombined at random.

type locale struct {
	code, region string
	given        []string
	family       []string
	// kana readings, for Japanese lists
	kana      []string
	street    func(r *rand.Rand) string
	cities    []string
	phone     func(r *rand.Rand) string // national format
	intl      string                    // country calling code, for +CC forms
	id        func(r *rand.Rand) string
	idHeaders []string
	dateFmt   string // Go layout of dates
	domains   []string
	companies []string
	products  []string
	jobs      []string
	// headers per semantic column, in the locale's language
	h map[string][]string
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func digits(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}

func nonzero(r *rand.Rand) string { return string(byte('1' + r.IntN(9))) }

var locales = []locale{
	{code: "en-US", region: "US",
		given:  []string{"James", "Mary", "Robert", "Linda", "Tyler", "Brianna", "Cody", "Kayla", "Dustin", "Shelby", "Marcus", "Tiffany", "Garrett", "Destiny", "Wyatt", "Savannah"},
		family: []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Whitfield", "Ashby", "Calloway", "Pruitt", "Hendrix", "Langley", "Boone", "Merritt", "Sawyer"},
		street: func(r *rand.Rand) string {
			return fmt.Sprintf("%d %s %s", 10+r.IntN(9900), pick(r, []string{"Maple", "Oak", "Cedar", "Elm", "Washington", "Lincoln", "Sunset", "Park"}), pick(r, []string{"St", "Ave", "Blvd", "Rd", "Lane", "Drive"}))
		},
		cities: []string{"Springfield", "Portland", "Austin", "Denver", "Columbus", "Phoenix", "Madison", "Raleigh"},
		phone: func(r *rand.Rand) string {
			return fmt.Sprintf("(%s) %s-%s", pick(r, []string{"212", "415", "617", "312", "206", "512", "303", "404"}), nonzero(r)[:1]+digits(r, 2), digits(r, 4))
		},
		intl: "1", id: ssn, idHeaders: []string{"SSN", "Social Security Number", "ssn"},
		dateFmt: "01/02/2006", domains: []string{"gmail.com", "yahoo.com", "outlook.com", "comcast.net"},
		companies: []string{"Acme Corp", "Globex Inc", "Initech LLC", "Umbrella Holdings", "Stark Industries"},
		products:  []string{"Wireless Mouse", "Standing Desk", "Coffee Grinder", "Trail Backpack", "Desk Lamp"},
		jobs:      []string{"Account Manager", "Software Engineer", "Sales Associate", "HR Specialist", "Data Analyst"},
		h: map[string][]string{"given": {"First Name", "first_name", "FirstName"}, "family": {"Last Name", "last_name", "Surname"},
			"full": {"Full Name", "Name", "Customer Name"}, "email": {"Email", "E-mail Address", "email"}, "phone": {"Phone", "Mobile", "Cell Phone"},
			"address": {"Street Address", "Address", "Address Line 1"}, "dob": {"Date of Birth", "DOB", "Birthday"},
			"account": {"Account Number", "Bank Account"}, "card": {"Credit Card", "Card Number"}, "ip": {"IP Address", "client_ip"},
			"notes": {"Notes", "Comments"}, "role": {"Contact", "Account Owner", "Sales Rep"}, "city": {"City"}, "country": {"Country"}, "postcode": {"ZIP", "Zip Code"}}},
	{code: "en-GB", region: "GB",
		given:  []string{"Oliver", "Amelia", "Harry", "Isla", "George", "Poppy", "Alfie", "Freya", "Rhys", "Niamh", "Callum", "Imogen", "Hamish", "Seren", "Angus", "Ffion"},
		family: []string{"Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Featherstone", "Pemberton", "Hargreaves", "Whitworth", "Blackwood", "Ashworth", "Cartwright", "Holloway", "Fairbairn"},
		street: func(r *rand.Rand) string {
			return fmt.Sprintf("%d %s %s", 1+r.IntN(300), pick(r, []string{"High", "Station", "Church", "Victoria", "Mill", "Park"}), pick(r, []string{"Street", "Road", "Lane", "Close", "Crescent", "Terrace"}))
		},
		cities: []string{"Manchester", "Leeds", "Bristol", "Sheffield", "Cardiff", "Glasgow", "York", "Bath"},
		phone: func(r *rand.Rand) string {
			if r.IntN(2) == 0 {
				return "07" + pick(r, []string{"700", "711", "802", "911", "456", "380"}) + " " + digits(r, 6)
			}
			return "020 7" + digits(r, 3) + " " + digits(r, 4)
		},
		intl: "44", id: nino, idHeaders: []string{"NI Number", "National Insurance No", "NINO"},
		dateFmt: "02/01/2006", domains: []string{"btinternet.com", "gmail.com", "hotmail.co.uk", "sky.com"},
		companies: []string{"Marks Retail Ltd", "Thames Water plc", "Northern Foods Ltd", "Brightside Group", "Kestrel Holdings"},
		products:  []string{"Electric Kettle", "Garden Hose", "Wool Jumper", "Tea Set", "Umbrella"},
		jobs:      []string{"Office Manager", "Civil Engineer", "Sales Executive", "Accountant", "Care Assistant"},
		h: map[string][]string{"given": {"Forename", "First name"}, "family": {"Surname", "Last name"}, "full": {"Name", "Full name"},
			"email": {"Email", "Email address"}, "phone": {"Mobile", "Telephone", "Phone no"}, "address": {"Address", "Address line 1"},
			"dob": {"Date of birth", "DOB"}, "account": {"IBAN", "Bank account"}, "card": {"Card number"}, "ip": {"IP address"},
			"notes": {"Notes", "Remarks"}, "role": {"Contact person", "Line manager"}, "city": {"Town"}, "country": {"Country"}, "postcode": {"Postcode"}}},
	{code: "de-DE", region: "DE",
		given:  []string{"Lukas", "Anna", "Jonas", "Lena", "Maximilian", "Katharina", "Wolfgang", "Sabine", "Detlef", "Gudrun", "Torsten", "Heike", "Volker", "Silke", "Henning", "Dörte"},
		family: []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Brandt", "Engel", "Pohl", "Kuhn", "Sauer", "Busch", "Jäger", "Ziegler", "Voigt"},
		street: func(r *rand.Rand) string {
			return fmt.Sprintf("%s%s %d", pick(r, []string{"Haupt", "Linden", "Garten", "Berg", "Schiller", "Goethe", "Bahnhof", "Kirch"}), pick(r, []string{"straße", "str.", "weg", "gasse", "platz", "allee"}), 1+r.IntN(150))
		},
		cities: []string{"Berlin", "Hamburg", "München", "Köln", "Leipzig", "Dresden", "Bremen", "Hannover"},
		phone: func(r *rand.Rand) string {
			switch r.IntN(3) {
			case 0:
				return "030 " + nonzero(r) + digits(r, 6)
			case 1:
				return "089 " + nonzero(r) + digits(r, 6)
			}
			return pick(r, []string{"0151", "0160", "0170", "0176"}) + " " + digits(r, 7)
		},
		intl: "49", id: steuerID, idHeaders: []string{"Steuer-ID", "Steueridentifikationsnummer", "Steuer-Nr."},
		dateFmt: "02.01.2006", domains: []string{"web.de", "gmx.de", "t-online.de", "posteo.de"},
		companies: []string{"Müller & Söhne GmbH", "Nordwind AG", "Bäckerei Schulz KG", "Lindner Logistik GmbH", "Technik Partner GmbH"},
		products:  []string{"Kaffeemaschine", "Akkuschrauber", "Wanderschuhe", "Schreibtischlampe", "Rucksack"},
		jobs:      []string{"Sachbearbeiterin", "Ingenieur", "Vertriebsleiter", "Buchhalterin", "Projektleiter"},
		h: map[string][]string{"given": {"Vorname", "vorname"}, "family": {"Nachname", "Familienname", "Name"}, "full": {"Name", "Vor- und Nachname"},
			"email": {"E-Mail", "E-Mail-Adresse", "Mail"}, "phone": {"Telefon", "Festnetz", "Handy", "Mobilnummer"}, "address": {"Straße", "Anschrift", "Adresse"},
			"dob": {"Geburtsdatum", "Geb.-Datum"}, "account": {"IBAN", "Kontonummer"}, "card": {"Kreditkarte", "Kartennummer"}, "ip": {"IP-Adresse"},
			"notes": {"Bemerkung", "Notizen"}, "role": {"Ansprechpartner", "Sachbearbeiter", "Referent"}, "city": {"Ort", "Stadt"}, "country": {"Land"}, "postcode": {"PLZ"}}},
	{code: "fr-FR", region: "FR",
		given:  []string{"Jean", "Marie", "Pierre", "Camille", "Nicolas", "Manon", "Thierry", "Sylvie", "Gaëtan", "Maëlle", "Yannick", "Clémence", "Benoît", "Solène", "Loïc", "Ophélie"},
		family: []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Lemaire", "Chevalier", "Gauthier", "Perrot", "Barbier", "Lacroix", "Fabre", "Brunet", "Marchal"},
		street: func(r *rand.Rand) string {
			return fmt.Sprintf("%d %s %s", 1+r.IntN(120), pick(r, []string{"rue", "avenue", "boulevard", "chemin", "allée"}), pick(r, []string{"de la République", "Victor Hugo", "Jean Jaurès", "de la Paix", "des Lilas", "Pasteur"}))
		},
		cities: []string{"Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Lille", "Rennes", "Bordeaux"},
		phone: func(r *rand.Rand) string {
			p := pick(r, []string{"01", "02", "03", "04", "05", "06", "07"})
			return fmt.Sprintf("%s %s %s %s %s", p, digits(r, 2), digits(r, 2), digits(r, 2), digits(r, 2))
		},
		intl: "33", id: nir, idHeaders: []string{"N° sécurité sociale", "NIR", "Numéro de sécurité sociale"},
		dateFmt: "02/01/2006", domains: []string{"orange.fr", "free.fr", "laposte.net", "sfr.fr"},
		companies: []string{"Boulangerie Dupont SARL", "Transports Girard SAS", "Atelier Moreau", "Groupe Lefèvre SA", "Cabinet Roux"},
		products:  []string{"Cafetière", "Perceuse", "Chaussures de randonnée", "Lampe de bureau", "Sac à dos"},
		jobs:      []string{"Chef de projet", "Ingénieure", "Comptable", "Assistante de direction", "Directeur commercial"},
		h: map[string][]string{"given": {"Prénom", "prenom"}, "family": {"Nom", "Nom de famille"}, "full": {"Nom complet", "Nom et prénom"},
			"email": {"Courriel", "E-mail", "Adresse e-mail"}, "phone": {"Téléphone", "Portable", "Tél."}, "address": {"Adresse", "Rue"},
			"dob": {"Date de naissance", "Né le"}, "account": {"IBAN", "RIB"}, "card": {"Numéro de carte"}, "ip": {"Adresse IP"},
			"notes": {"Commentaire", "Remarques"}, "role": {"Responsable", "Contact principal", "Interlocuteur"}, "city": {"Ville"}, "country": {"Pays"}, "postcode": {"Code postal"}}},
	{code: "es-ES", region: "ES",
		given:  []string{"José", "María", "Antonio", "Carmen", "Javier", "Lucía", "Álvaro", "Pilar", "Íñigo", "Nerea", "Rubén", "Ainhoa", "Gonzalo", "Rocío", "Aitor", "Maite"},
		family: []string{"García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Cabrera", "Pastor", "Vidal", "Crespo", "Calvo", "Gallego", "Prieto", "Lozano", "Esteban"},
		street: func(r *rand.Rand) string {
			return fmt.Sprintf("%s %s %d", pick(r, []string{"Calle", "C/", "Avenida", "Paseo", "Plaza"}), pick(r, []string{"Mayor", "Alcalá", "de la Constitución", "del Sol", "Gran Vía", "San Juan"}), 1+r.IntN(200))
		},
		cities: []string{"Madrid", "Barcelona", "Valencia", "Sevilla", "Zaragoza", "Málaga", "Bilbao", "Murcia"},
		phone: func(r *rand.Rand) string {
			if r.IntN(2) == 0 {
				return "6" + digits(r, 2) + " " + digits(r, 3) + " " + digits(r, 3)
			}
			return "91" + nonzero(r) + " " + digits(r, 3) + " " + digits(r, 3)
		},
		intl: "34", id: dni, idHeaders: []string{"DNI", "DNI/NIE", "NIF"},
		dateFmt: "02/01/2006", domains: []string{"telefonica.net", "gmail.com", "hotmail.es", "yahoo.es"},
		companies: []string{"Construcciones Ruiz SL", "Talleres Ortega SA", "Grupo Navarro", "Frutas del Sur SL", "Distribuciones Vega"},
		products:  []string{"Cafetera", "Taladro", "Zapatillas", "Lámpara de escritorio", "Mochila"},
		jobs:      []string{"Jefe de proyecto", "Ingeniera", "Contable", "Administrativo", "Director comercial"},
		h: map[string][]string{"given": {"Nombre", "nombre"}, "family": {"Apellidos", "Primer apellido"}, "full": {"Nombre completo", "Nombre y apellidos"},
			"email": {"Correo electrónico", "Email", "Correo"}, "phone": {"Teléfono", "Móvil", "Tel."}, "address": {"Dirección", "Domicilio"},
			"dob": {"Fecha de nacimiento", "Fecha nac."}, "account": {"IBAN", "Número de cuenta"}, "card": {"Tarjeta", "Número de tarjeta"}, "ip": {"Dirección IP"},
			"notes": {"Observaciones", "Comentarios"}, "role": {"Responsable", "Contacto", "Titular"}, "city": {"Ciudad", "Localidad"}, "country": {"País"}, "postcode": {"Código postal", "CP"}}},
	{code: "pt-BR", region: "BR",
		given:  []string{"João", "Maria", "Lucas", "Ana", "Gabriel", "Juliana", "Matheus", "Fernanda", "Thiago", "Larissa", "Wesley", "Jéssica", "Cauã", "Thaís", "Kauê", "Rayssa"},
		family: []string{"Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Moraes", "Guimarães", "Cavalcanti", "Bezerra", "Monteiro", "Queiroz", "Siqueira", "Pacheco", "Brandão"},
		street: func(r *rand.Rand) string {
			return fmt.Sprintf("%s %s, %d", pick(r, []string{"Rua", "Av.", "Avenida", "Travessa", "Alameda"}), pick(r, []string{"Augusta", "Paulista", "das Flores", "Sete de Setembro", "XV de Novembro", "Brasil"}), 1+r.IntN(2000))
		},
		cities: []string{"São Paulo", "Rio de Janeiro", "Belo Horizonte", "Curitiba", "Recife", "Salvador", "Fortaleza", "Manaus"},
		phone: func(r *rand.Rand) string {
			ddd := pick(r, []string{"11", "21", "31", "41", "51", "61", "71", "81"})
			if r.IntN(3) > 0 {
				return fmt.Sprintf("(%s) 9%s-%s", ddd, digits(r, 4), digits(r, 4))
			}
			return fmt.Sprintf("(%s) %s%s-%s", ddd, pick(r, []string{"2", "3"}), digits(r, 3), digits(r, 4))
		},
		intl: "55", id: cpf, idHeaders: []string{"CPF", "Nº do CPF"},
		dateFmt: "02/01/2006", domains: []string{"uol.com.br", "gmail.com", "bol.com.br", "hotmail.com"},
		companies: []string{"Padaria Pão Quente Ltda", "Transportes Rápido S.A.", "Construtora Horizonte", "Mercado Bom Preço", "TecnoSul Ltda"},
		products:  []string{"Cafeteira", "Furadeira", "Tênis de corrida", "Luminária", "Mochila"},
		jobs:      []string{"Gerente de projetos", "Engenheira", "Analista financeiro", "Assistente administrativo", "Vendedor"},
		h: map[string][]string{"given": {"Primeiro nome", "Nome"}, "family": {"Sobrenome", "sobrenome"}, "full": {"Nome completo", "Nome"},
			"email": {"E-mail", "Email"}, "phone": {"Celular", "Telefone", "WhatsApp"}, "address": {"Endereço", "Logradouro"},
			"dob": {"Data de nascimento", "Nascimento"}, "account": {"Conta bancária", "IBAN"}, "card": {"Cartão de crédito", "Número do cartão"}, "ip": {"Endereço IP"},
			"notes": {"Observações", "Comentário"}, "role": {"Responsável", "Participante", "Inscrito"}, "city": {"Cidade"}, "country": {"País"}, "postcode": {"CEP"}}},
	{code: "pt-PT", region: "PT",
		given:  []string{"João", "Maria", "Rodrigo", "Beatriz", "Tiago", "Inês", "Duarte", "Leonor", "Rui", "Matilde", "Gonçalo", "Carolina", "Afonso", "Mafalda", "Vasco", "Francisca"},
		family: []string{"Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Magalhães", "Figueiredo", "Tavares", "Loureiro", "Antunes", "Baptista", "Sequeira", "Valente", "Quintela"},
		street: func(r *rand.Rand) string {
			return fmt.Sprintf("%s %s %d", pick(r, []string{"Rua", "Avenida", "Travessa", "Largo", "Praça"}), pick(r, []string{"Augusta", "da Liberdade", "do Carmo", "de Santa Catarina", "dos Clérigos"}), 1+r.IntN(300))
		},
		cities: []string{"Lisboa", "Porto", "Braga", "Coimbra", "Faro", "Aveiro", "Setúbal", "Funchal"},
		phone: func(r *rand.Rand) string {
			if r.IntN(3) > 0 {
				return pick(r, []string{"91", "92", "93", "96"}) + digits(r, 7)
			}
			return "21" + nonzero(r) + digits(r, 6)
		},
		intl: "351", id: nifPT, idHeaders: []string{"NIF", "Número de contribuinte"},
		dateFmt: "02-01-2006", domains: []string{"sapo.pt", "gmail.com", "clix.pt", "outlook.pt"},
		companies: []string{"Pastelaria Belém Lda", "Transportes Norte SA", "Vinhos do Douro Lda", "TechLisboa", "Construções Minho"},
		products:  []string{"Máquina de café", "Berbequim", "Sapatilhas", "Candeeiro", "Mochila"},
		jobs:      []string{"Gestora de projetos", "Engenheiro", "Contabilista", "Rececionista", "Diretor comercial"},
		h: map[string][]string{"given": {"Nome próprio", "Primeiro nome"}, "family": {"Apelido", "Sobrenome"}, "full": {"Nome completo", "Nome"},
			"email": {"Email", "Correio eletrónico"}, "phone": {"Telemóvel", "Telefone"}, "address": {"Morada", "Endereço"},
			"dob": {"Data de nascimento"}, "account": {"IBAN", "NIB"}, "card": {"Cartão de crédito"}, "ip": {"Endereço IP"},
			"notes": {"Observações", "Notas"}, "role": {"Responsável", "Colaborador"}, "city": {"Localidade"}, "country": {"País"}, "postcode": {"Código postal"}}},
	{code: "it-IT", region: "IT",
		given:  []string{"Giuseppe", "Maria", "Francesco", "Giulia", "Alessandro", "Chiara", "Matteo", "Francesca", "Gianluca", "Ilaria", "Massimo", "Federica", "Raffaele", "Benedetta", "Ottavio", "Serena"},
		family: []string{"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Fabbri", "Guerra", "Sartori", "Cattaneo", "Pellegrini", "Benedetti", "Fumagalli", "Gatti", "Orlando"},
		street: func(r *rand.Rand) string {
			return fmt.Sprintf("%s %s %d", pick(r, []string{"Via", "Viale", "Piazza", "Corso", "Vicolo"}), pick(r, []string{"Roma", "Garibaldi", "Mazzini", "Dante", "Cavour", "Verdi"}), 1+r.IntN(200))
		},
		cities: []string{"Roma", "Milano", "Napoli", "Torino", "Bologna", "Firenze", "Genova", "Palermo"},
		phone: func(r *rand.Rand) string {
			if r.IntN(2) == 0 {
				return "3" + pick(r, []string{"20", "28", "33", "38", "47", "49"}) + " " + digits(r, 3) + " " + digits(r, 4)
			}
			return "06 " + digits(r, 4) + " " + digits(r, 4)
		},
		intl: "39", id: codiceFiscale, idHeaders: []string{"Codice fiscale", "CF"},
		dateFmt: "02/01/2006", domains: []string{"libero.it", "virgilio.it", "tiscali.it", "gmail.com"},
		companies: []string{"Pasticceria Rossi Srl", "Trasporti Bianchi SpA", "Gruppo Colombo", "Officina Ferrari Snc", "Vini del Chianti Srl"},
		products:  []string{"Macchina da caffè", "Trapano", "Scarpe da trekking", "Lampada da tavolo", "Zaino"},
		jobs:      []string{"Responsabile di progetto", "Ingegnere", "Contabile", "Impiegata", "Direttore commerciale"},
		h: map[string][]string{"given": {"Nome", "nome"}, "family": {"Cognome", "cognome"}, "full": {"Nome e cognome", "Nominativo"},
			"email": {"Email", "Posta elettronica"}, "phone": {"Telefono", "Cellulare"}, "address": {"Indirizzo", "Via"},
			"dob": {"Data di nascita"}, "account": {"IBAN", "Conto corrente"}, "card": {"Carta di credito"}, "ip": {"Indirizzo IP"},
			"notes": {"Note", "Commento"}, "role": {"Referente", "Dipendente", "Partecipante"}, "city": {"Città", "Comune"}, "country": {"Paese"}, "postcode": {"CAP"}}},
	{code: "nl-NL", region: "NL",
		given:  []string{"Jan", "Anna", "Daan", "Sanne", "Bram", "Lotte", "Thijs", "Femke", "Gijs", "Marloes", "Joost", "Ilse", "Wouter", "Annelies", "Sjoerd", "Lieke"},
		family: []string{"de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Kuipers", "Verhoeven", "Wouters", "Schouten", "Postma", "Hoekstra", "van Dam", "Koster", "Bosman"},
		street: func(r *rand.Rand) string {
			return fmt.Sprintf("%s%s %d", pick(r, []string{"Kalver", "Dorp", "Kerk", "Molen", "Bloemen", "Linden"}), pick(r, []string{"straat", "laan", "weg", "plein", "gracht"}), 1+r.IntN(250))
		},
		cities: []string{"Amsterdam", "Rotterdam", "Utrecht", "Eindhoven", "Groningen", "Tilburg", "Leiden", "Delft"},
		phone: func(r *rand.Rand) string {
			if r.IntN(2) == 0 {
				return "06-" + pick(r, []string{"1", "2", "3", "4", "5"}) + digits(r, 7)
			}
			return "020-" + nonzero(r) + digits(r, 6)
		},
		intl: "31", id: bsn, idHeaders: []string{"BSN", "Burgerservicenummer"},
		dateFmt: "02-01-2006", domains: []string{"ziggo.nl", "kpnmail.nl", "gmail.com", "hotmail.nl"},
		companies: []string{"Bakkerij de Vries BV", "Transport Jansen BV", "Groep Visser NV", "Tuincentrum Smit", "Bouwbedrijf Bakker"},
		products:  []string{"Koffiezetapparaat", "Boormachine", "Wandelschoenen", "Bureaulamp", "Rugzak"},
		jobs:      []string{"Projectleider", "Ingenieur", "Boekhouder", "Secretaresse", "Verkoopmanager"},
		h: map[string][]string{"given": {"Voornaam"}, "family": {"Achternaam"}, "full": {"Naam", "Volledige naam"},
			"email": {"E-mailadres", "Email"}, "phone": {"Telefoon", "Mobiel", "Telefoonnummer"}, "address": {"Adres", "Straat"},
			"dob": {"Geboortedatum"}, "account": {"IBAN", "Rekeningnummer"}, "card": {"Creditcard"}, "ip": {"IP-adres"},
			"notes": {"Opmerkingen"}, "role": {"Contactpersoon", "Medewerker", "Deelnemer"}, "city": {"Plaats", "Woonplaats"}, "country": {"Land"}, "postcode": {"Postcode"}}},
	{code: "pl-PL", region: "PL",
		given:  []string{"Piotr", "Anna", "Krzysztof", "Katarzyna", "Tomasz", "Agnieszka", "Paweł", "Magdalena", "Grzegorz", "Dorota", "Wojciech", "Beata", "Zbigniew", "Jadwiga", "Bartosz", "Urszula"},
		family: []string{"Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Sikora", "Baran", "Duda", "Szewczyk", "Tomaszewski", "Pietrzak", "Wróblewski", "Jasiński", "Zalewski"},
		street: func(r *rand.Rand) string {
			return fmt.Sprintf("%s %s %d", pick(r, []string{"ul.", "al.", "pl.", "os."}), pick(r, []string{"Marszałkowska", "Długa", "Polna", "Lipowa", "Słoneczna", "Kościuszki"}), 1+r.IntN(150))
		},
		cities: []string{"Warszawa", "Kraków", "Łódź", "Wrocław", "Poznań", "Gdańsk", "Lublin", "Katowice"},
		phone: func(r *rand.Rand) string {
			if r.IntN(2) == 0 {
				return pick(r, []string{"5", "6", "7"}) + digits(r, 2) + " " + digits(r, 3) + " " + digits(r, 3)
			}
			return "22 " + digits(r, 3) + " " + digits(r, 2) + " " + digits(r, 2)
		},
		intl: "48", id: pesel, idHeaders: []string{"PESEL", "Numer PESEL"},
		dateFmt: "02.01.2006", domains: []string{"wp.pl", "onet.pl", "interia.pl", "o2.pl"},
		companies: []string{"Piekarnia Nowak Sp. z o.o.", "Transport Kowalski", "Grupa Wiśniewski SA", "Ogrody Zielińscy", "Budimex Polska"},
		products:  []string{"Ekspres do kawy", "Wiertarka", "Buty trekkingowe", "Lampka biurkowa", "Plecak"},
		jobs:      []string{"Kierownik projektu", "Inżynier", "Księgowa", "Asystentka", "Dyrektor handlowy"},
		h: map[string][]string{"given": {"Imię"}, "family": {"Nazwisko"}, "full": {"Imię i nazwisko"},
			"email": {"E-mail", "Adres e-mail"}, "phone": {"Telefon", "Nr telefonu", "Komórka"}, "address": {"Adres", "Ulica"},
			"dob": {"Data urodzenia"}, "account": {"Numer konta", "IBAN"}, "card": {"Numer karty"}, "ip": {"Adres IP"},
			"notes": {"Uwagi"}, "role": {"Pracownik", "Uczestnik", "Opiekun"}, "city": {"Miasto", "Miejscowość"}, "country": {"Kraj"}, "postcode": {"Kod pocztowy"}}},
	{code: "ja-JP", region: "JP",
		given:  []string{"太郎", "花子", "翔太", "美咲", "大輔", "由美", "健一", "陽菜", "拓海", "結衣", "悠真", "凛", "蓮", "葵", "湊", "紬"},
		family: []string{"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "菅原", "望月", "桑原", "千葉"},
		kana:   []string{"サトウ", "スズキ", "タカハシ", "タナカ", "イトウ", "ワタナベ", "ヤマモト", "ナカムラ", "コバヤシ", "カトウ", "ヨシダ", "ヤマダ", "スガワラ", "モチヅキ", "クワバラ", "チバ"},
		street: func(r *rand.Rand) string {
			return fmt.Sprintf("%s%s%d-%d-%d", pick(r, []string{"東京都", "大阪府", "神奈川県", "愛知県", "福岡県"}), pick(r, []string{"千代田区丸の内", "中央区銀座", "港区芝", "北区梅田", "中区栄"}), 1+r.IntN(9), 1+r.IntN(20), 1+r.IntN(30))
		},
		cities: []string{"東京", "大阪", "名古屋", "福岡", "札幌", "仙台", "広島", "京都"},
		phone: func(r *rand.Rand) string {
			if r.IntN(3) > 0 {
				return pick(r, []string{"090", "080", "070"}) + "-" + nonzero(r) + digits(r, 3) + "-" + digits(r, 4)
			}
			return "03-" + nonzero(r) + digits(r, 3) + "-" + digits(r, 4)
		},
		intl: "81", id: myNumber, idHeaders: []string{"マイナンバー", "個人番号"},
		dateFmt: "2006/01/02", domains: []string{"docomo.ne.jp", "ezweb.ne.jp", "gmail.com", "yahoo.co.jp"},
		companies: []string{"株式会社山田商事", "有限会社佐藤製作所", "東京物産株式会社", "大阪テック株式会社", "合同会社みらい"},
		products:  []string{"コーヒーメーカー", "電動ドリル", "登山靴", "デスクライト", "リュックサック"},
		jobs:      []string{"営業部長", "エンジニア", "経理担当", "事務職", "課長"},
		h: map[string][]string{"given": {"名", "名（漢字）"}, "family": {"姓", "姓（漢字）"}, "full": {"氏名", "お名前"},
			"email": {"メールアドレス", "メール"}, "phone": {"電話番号", "携帯番号", "携帯電話"}, "address": {"住所"},
			"dob": {"生年月日", "誕生日"}, "account": {"口座番号"}, "card": {"クレジットカード番号"}, "ip": {"IPアドレス"},
			"notes": {"備考", "コメント"}, "role": {"担当者", "参加者", "申込者"}, "city": {"都市"}, "country": {"国"}, "postcode": {"郵便番号"}, "kana": {"フリガナ", "セイ"}}},
	{code: "zh-CN", region: "CN",
		given:  []string{"伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "俊杰", "欣怡", "子涵", "浩然", "雨桐", "梓萱", "宇轩", "思彤"},
		family: []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"},
		street: func(r *rand.Rand) string {
			return fmt.Sprintf("%s%s%s%d号", pick(r, []string{"北京市", "上海市", "广东省广州市", "浙江省杭州市", "四川省成都市"}), pick(r, []string{"朝阳区", "浦东新区", "天河区", "西湖区", "武侯区"}), pick(r, []string{"建国路", "世纪大道", "中山路", "人民路", "解放路"}), 1+r.IntN(500))
		},
		cities: []string{"北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "西安"},
		phone: func(r *rand.Rand) string {
			if r.IntN(3) > 0 {
				return "1" + pick(r, []string{"38", "39", "50", "58", "86", "88"}) + " " + digits(r, 4) + " " + digits(r, 4)
			}
			return "010-" + nonzero(r) + digits(r, 7)
		},
		intl: "86", id: chinaID, idHeaders: []string{"身份证号", "身份证号码"},
		dateFmt: "2006-01-02", domains: []string{"qq.com", "163.com", "126.com", "sina.com"},
		companies: []string{"北京科技有限公司", "上海贸易集团", "广州物流有限公司", "深圳电子股份有限公司", "杭州网络公司"},
		products:  []string{"咖啡机", "电钻", "登山鞋", "台灯", "双肩包"},
		jobs:      []string{"项目经理", "工程师", "会计", "行政助理", "销售总监"},
		h: map[string][]string{"given": {"名"}, "family": {"姓"}, "full": {"姓名", "客户姓名"},
			"email": {"电子邮箱", "邮箱"}, "phone": {"手机号", "联系电话", "电话"}, "address": {"地址", "家庭住址"},
			"dob": {"出生日期", "生日"}, "account": {"银行账号", "账号"}, "card": {"信用卡号"}, "ip": {"IP地址"},
			"notes": {"备注"}, "role": {"联系人", "负责人", "参会人"}, "city": {"城市"}, "country": {"国家"}, "postcode": {"邮编"}}},
	{code: "hi-IN", region: "IN",
		given:  []string{"Rahul", "Priya", "Amit", "Anjali", "Vikram", "Sneha", "Arjun", "Kavita", "Siddharth", "Ishita", "Pranav", "Tanvi", "Harsh", "Shreya", "Nikhil", "Aditi"},
		family: []string{"Sharma", "Verma", "Gupta", "Kumar", "Singh", "Patel", "Reddy", "Iyer", "Chauhan", "Deshmukh", "Kulkarni", "Bhattacharya", "Srinivasan", "Thakur", "Naidu", "Rathore"},
		street: func(r *rand.Rand) string {
			return fmt.Sprintf("%d, %s %s", 1+r.IntN(400), pick(r, []string{"MG", "Nehru", "Gandhi", "Station", "Lake"}), pick(r, []string{"Road", "Marg", "Nagar", "Colony"}))
		},
		cities: []string{"Mumbai", "Delhi", "Bengaluru", "Chennai", "Pune", "Hyderabad", "Kolkata", "Jaipur"},
		phone: func(r *rand.Rand) string {
			return pick(r, []string{"98", "97", "96", "95", "93", "91", "88", "70"}) + digits(r, 3) + " " + digits(r, 5)
		},
		intl: "91", id: aadhaar, idHeaders: []string{"Aadhaar No", "Aadhaar", "आधार संख्या"},
		dateFmt: "02-01-2006", domains: []string{"gmail.com", "rediffmail.com", "yahoo.co.in", "outlook.com"},
		companies: []string{"Sharma Traders Pvt Ltd", "Gupta Textiles", "Reliance Retail Ltd", "Infotech Solutions Pvt Ltd", "Patel Brothers"},
		products:  []string{"Coffee Maker", "Drill Machine", "Running Shoes", "Table Lamp", "School Bag"},
		jobs:      []string{"Project Manager", "Software Engineer", "Accountant", "Office Assistant", "Sales Manager"},
		h: map[string][]string{"given": {"First Name", "Pehla Naam"}, "family": {"Surname", "Upnaam"}, "full": {"Naam", "नाम", "Pura Naam"},
			"email": {"Email", "ईमेल"}, "phone": {"Mobile No", "मोबाइल", "Phone"}, "address": {"Pata", "पता", "Address"},
			"dob": {"Janm Tithi", "जन्म तिथि", "DOB"}, "account": {"Khata Sankhya", "Account No"}, "card": {"Card No"}, "ip": {"IP Address"},
			"notes": {"टिप्पणी", "Remarks"}, "role": {"Grahak", "Karmachari", "Pratibhagi"}, "city": {"Shahar", "City"}, "country": {"Desh"}, "postcode": {"Pincode"}}},
	{code: "ar-SA", region: "SA",
		given:  []string{"محمد", "أحمد", "فاطمة", "عائشة", "عبدالله", "نورة", "خالد", "سارة", "فيصل", "ريم", "تركي", "هيفاء", "بندر", "لطيفة", "سلطان", "جواهر"},
		family: []string{"العتيبي", "القحطاني", "الغامدي", "الشهري", "الزهراني", "الدوسري", "المطيري", "الحربي", "السبيعي", "الشمري", "العنزي", "الرشيد", "الأحمد", "الحسن", "العلي", "حداد"},
		street: func(r *rand.Rand) string {
			return fmt.Sprintf("%s %s %d", pick(r, []string{"شارع", "طريق"}), pick(r, []string{"الملك فهد", "العليا", "التحلية", "الأمير سلطان", "الستين"}), 1+r.IntN(900))
		},
		cities: []string{"الرياض", "جدة", "مكة", "المدينة", "الدمام", "الخبر", "تبوك", "أبها"},
		phone: func(r *rand.Rand) string {
			return "05" + pick(r, []string{"0", "3", "4", "5", "6"}) + " " + digits(r, 3) + " " + digits(r, 4)
		},
		intl: "966", id: saudiID, idHeaders: []string{"رقم الهوية", "الهوية الوطنية"},
		dateFmt: "02/01/2006", domains: []string{"gmail.com", "hotmail.com", "outlook.sa", "yahoo.com"},
		companies: []string{"شركة الراجحي للتجارة", "مؤسسة النور", "شركة المراعي", "مجموعة بن لادن", "شركة التقنية المحدودة"},
		products:  []string{"آلة قهوة", "مثقاب", "حذاء رياضي", "مصباح مكتب", "حقيبة ظهر"},
		jobs:      []string{"مدير مشروع", "مهندس", "محاسب", "مساعد إداري", "مدير مبيعات"},
		h: map[string][]string{"given": {"الاسم الأول"}, "family": {"اسم العائلة"}, "full": {"الاسم", "الاسم الكامل"},
			"email": {"البريد الإلكتروني"}, "phone": {"رقم الجوال", "الهاتف"}, "address": {"العنوان"},
			"dob": {"تاريخ الميلاد"}, "account": {"رقم الحساب", "الآيبان"}, "card": {"رقم البطاقة"}, "ip": {"عنوان IP"},
			"notes": {"ملاحظات"}, "role": {"الموظف", "المشارك", "العميل"}, "city": {"المدينة"}, "country": {"الدولة"}, "postcode": {"الرمز البريدي"}}},
}

// Identity numbers with their checks, for the locales.

func ssn(r *rand.Rand) string {
	for {
		a, g, s := 1+r.IntN(899), 1+r.IntN(99), 1+r.IntN(9999)
		if a != 666 {
			return fmt.Sprintf("%03d-%02d-%04d", a, g, s)
		}
	}
}

func nino(r *rand.Rand) string {
	first, second := "ABCEGHJKLMNOPRSTWXYZ", "ABCEGHJKLMNPRSTWXYZ"
	for {
		p := string(first[r.IntN(len(first))]) + string(second[r.IntN(len(second))])
		switch p {
		case "BG", "GB", "KN", "NK", "NT", "TN", "ZZ":
			continue
		}
		return fmt.Sprintf("%s %s %s %s %c", p, digits(r, 2), digits(r, 2), digits(r, 2), "ABCD"[r.IntN(4)])
	}
}

func steuerID(r *rand.Rand) string {
	for {
		perm := r.Perm(10)
		d := make([]int, 10)
		copy(d, perm[:9])
		d[9] = d[r.IntN(9)] // one digit twice
		r.Shuffle(10, func(i, j int) { d[i], d[j] = d[j], d[i] })
		if d[0] == 0 {
			continue
		}
		product := 10
		for i := 0; i < 10; i++ {
			sum := (d[i] + product) % 10
			if sum == 0 {
				sum = 10
			}
			product = sum * 2 % 11
		}
		check := (11 - product) % 10
		var b strings.Builder
		for i, x := range d {
			if i == 2 || i == 5 || i == 8 {
				b.WriteByte(' ')
			}
			b.WriteByte(byte('0' + x))
		}
		b.WriteByte(byte('0' + check))
		return b.String()
	}
}

func nir(r *rand.Rand) string {
	body := fmt.Sprintf("%d%02d%02d%02d%03d%03d", 1+r.IntN(2), r.IntN(100), 1+r.IntN(12), 1+r.IntN(95), 1+r.IntN(999), 1+r.IntN(999))
	mod := 0
	for _, c := range body {
		mod = (mod*10 + int(c-'0')) % 97
	}
	key := 97 - mod
	return fmt.Sprintf("%s %s %s %s %s %s %02d", body[:1], body[1:3], body[3:5], body[5:7], body[7:10], body[10:13], key)
}

func dni(r *rand.Rand) string {
	n := r.IntN(100000000)
	return fmt.Sprintf("%08d%c", n, "TRWAGMYFPDXBNJZSQVHLCKE"[n%23])
}

func mod11(d []int, weights []int) int {
	s := 0
	for i, w := range weights {
		s += d[i] * w
	}
	if rem := s % 11; rem >= 2 {
		return 11 - rem
	}
	return 0
}

func cpf(r *rand.Rand) string {
	d := make([]int, 11)
	for i := 0; i < 9; i++ {
		d[i] = r.IntN(10)
	}
	d[9] = mod11(d, []int{10, 9, 8, 7, 6, 5, 4, 3, 2})
	d[10] = mod11(d, []int{11, 10, 9, 8, 7, 6, 5, 4, 3, 2})
	s := ""
	for _, x := range d {
		s += fmt.Sprint(x)
	}
	if r.IntN(4) == 0 {
		return s // written without separators too
	}
	return s[:3] + "." + s[3:6] + "." + s[6:9] + "-" + s[9:]
}

// nifPT: Portugal's tax number (not a kind Inlet knows: found by its header).
func nifPT(r *rand.Rand) string {
	d := []int{1 + r.IntN(3)}
	for i := 0; i < 7; i++ {
		d = append(d, r.IntN(10))
	}
	s := 0
	for i, x := range d {
		s += x * (9 - i)
	}
	c := 11 - s%11
	if c >= 10 {
		c = 0
	}
	out := ""
	for _, x := range append(d, c) {
		out += fmt.Sprint(x)
	}
	return out
}

func codiceFiscale(r *rand.Rand) string {
	letters := "BCDFGHLMNPRSTVZ"
	var b strings.Builder
	for i := 0; i < 6; i++ {
		b.WriteByte(letters[r.IntN(len(letters))])
	}
	b.WriteString(fmt.Sprintf("%02d%c%02d%c%03d", r.IntN(100), "ABCDEHLMPRST"[r.IntN(12)], 1+r.IntN(71), "ABCDEFGHILMZ"[r.IntN(12)], r.IntN(1000)))
	s := b.String()
	odd := []int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}
	sum := 0
	for i := 0; i < 15; i++ {
		c := s[i]
		var v int
		if c >= '0' && c <= '9' {
			v = int(c - '0')
			if i%2 == 0 {
				v = odd[v]
			}
		} else {
			v = int(c - 'A')
			if i%2 == 0 {
				v = odd[v]
			}
		}
		sum += v
	}
	return s + string(byte('A'+sum%26))
}

func bsn(r *rand.Rand) string {
	for {
		d := make([]int, 9)
		d[0] = 1 + r.IntN(9)
		for i := 1; i < 8; i++ {
			d[i] = r.IntN(10)
		}
		s := 0
		for i := 0; i < 8; i++ {
			s += d[i] * (9 - i)
		}
		if last := s % 11; last < 10 {
			d[8] = last
			out := ""
			for _, x := range d {
				out += fmt.Sprint(x)
			}
			return out
		}
	}
}

// pesel: Poland's national number (found by its header).
func pesel(r *rand.Rand) string {
	d := fmt.Sprintf("%02d%02d%02d%04d", r.IntN(100), 1+r.IntN(12), 1+r.IntN(28), r.IntN(10000))
	w := []int{1, 3, 7, 9, 1, 3, 7, 9, 1, 3}
	s := 0
	for i, c := range d {
		s += int(c-'0') * w[i]
	}
	return d + fmt.Sprint((10-s%10)%10)
}

func myNumber(r *rand.Rand) string {
	d := digits(r, 11)
	s := 0
	for n := 1; n <= 11; n++ {
		p := int(d[11-n] - '0')
		q := n + 1
		if n >= 7 {
			q = n - 5
		}
		s += p * q
	}
	c := 0
	if rem := s % 11; rem > 1 {
		c = 11 - rem
	}
	full := d + fmt.Sprint(c)
	return full[:4] + " " + full[4:8] + " " + full[8:]
}

// chinaID: the resident identity card number, ISO 7064 MOD 11-2 (found by its header).
func chinaID(r *rand.Rand) string {
	birth := time.Date(1950+r.IntN(55), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	d := fmt.Sprintf("%06d%s%03d", 110000+r.IntN(540000), birth.Format("20060102"), r.IntN(1000))
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	s := 0
	for i, c := range d {
		s += int(c-'0') * w[i]
	}
	return d + string("10X98765432"[s%11])
}

var (
	vD = [10][10]int{{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
		{4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1}, {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
		{8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}}
	vP = [8][10]int{{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
		{9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1}, {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}}
	vInv = [10]int{0, 4, 3, 2, 1, 5, 6, 7, 8, 9}
)

func aadhaar(r *rand.Rand) string {
	d := string(byte('2'+r.IntN(8))) + digits(r, 10)
	c := 0
	for i := 0; i < len(d); i++ {
		c = vD[c][vP[(i+1)%8][int(d[len(d)-1-i]-'0')]]
	}
	full := d + fmt.Sprint(vInv[c])
	return full[:4] + " " + full[4:8] + " " + full[8:]
}

// saudiID: ten digits starting with 1 (citizens), Luhn (found by its header).
func saudiID(r *rand.Rand) string {
	d := "1" + digits(r, 8)
	s := 0
	for i := len(d) - 1; i >= 0; i-- {
		x := int(d[i] - '0')
		if (len(d)-1-i)%2 == 0 {
			x *= 2
			if x > 9 {
				x -= 9
			}
		}
		s += x
	}
	return d + fmt.Sprint((10-s%10)%10)
}

// iban builds a valid IBAN of a country from a random bank account.
func iban(r *rand.Rand, country string, bban string) string {
	rearranged := bban + country + "00"
	mod := 0
	for _, c := range rearranged {
		if c >= 'A' && c <= 'Z' {
			mod = (mod*100 + int(c-'A') + 10) % 97
		} else {
			mod = (mod*10 + int(c-'0')) % 97
		}
	}
	s := fmt.Sprintf("%s%02d%s", country, 98-mod, bban)
	if r.IntN(2) == 0 {
		var b strings.Builder
		for i, c := range s {
			if i > 0 && i%4 == 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(c)
		}
		return b.String()
	}
	return s
}

var ibanBBAN = map[string]func(r *rand.Rand) string{
	"DE": func(r *rand.Rand) string { return digits(r, 18) },
	"GB": func(r *rand.Rand) string { return "NWBK" + digits(r, 14) },
	"FR": func(r *rand.Rand) string { return digits(r, 10) + "0" + digits(r, 10) + digits(r, 2) },
	"ES": func(r *rand.Rand) string { return digits(r, 20) },
	"PT": func(r *rand.Rand) string { return digits(r, 21) },
	"IT": func(r *rand.Rand) string { return "X" + digits(r, 10) + digits(r, 12) },
	"NL": func(r *rand.Rand) string { return "ABNA" + digits(r, 10) },
	"PL": func(r *rand.Rand) string { return digits(r, 24) },
	"BR": func(r *rand.Rand) string { return digits(r, 23) + "C1" },
	"SA": func(r *rand.Rand) string { return digits(r, 20) },
}
