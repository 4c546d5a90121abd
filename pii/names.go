package pii

// commonFirstNames is a small list of frequent given names across languages.
// It lets detection recognise a column of person names that has no telling
// header; it is evidence, never the only rule.
var commonFirstNames = setOf(`
james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony
mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan
jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander
frank patrick raymond jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter kyle
noah ethan jeremy walter christian keith roger terry austin sean gerald carl harold dylan arthur lawrence
jordan jesse bryan billy bruce gabriel joe logan alan juan albert willie elijah wayne randy vincent mason
roy ralph bobby russell bradley philip eugene liam oliver lucas leo max felix hugo luca marco giovanni
francesco alessandro matteo pierre jean louis antoine nicolas julien thomas hans jan klaus stefan lars
sven erik olaf mohammed muhammad ahmed ali omar hassan yusuf ibrahim mustafa mehmet hiroshi takashi kenji
wei li ming jun raj amit rahul vijay sanjay arjun ivan dmitri sergei andrei pavel igor vladimir carlos
luis miguel javier diego pablo alejandro fernando ricardo eduardo rafael sergio jorge manuel antonio
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra
ashley kimberly emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca sharon laura
cynthia kathleen amy angela shirley anna brenda pamela emma nicole helen samantha katherine christine
debra rachel carolyn janet catherine maria heather diane ruth julie olivia joyce virginia victoria kelly
lauren christina joan evelyn judith megan andrea cheryl hannah jacqueline martha gloria teresa ann sara
madison frances kathryn janice jean abigail alice judy sophia grace denise amber doris marilyn danielle
beverly isabella theresa diana natalie brittany charlotte marie kayla alexis lori sophie chloe mia ava
lea lena laura julia clara elena sofia giulia francesca chiara anne claire camille manon lucie ingrid
astrid fatima aisha zainab mariam yuki sakura mei ling priya anjali sunita olga natalia tatiana irina
svetlana ana carmen lucia isabel paula rosa ines beatriz
`)

// companyWords mark a value as an organisation, not a person.
var companyWords = setOf(`inc ltd llc gmbh corp corporation co company plc sa ag bv nv group holdings
limited technologies technology solutions services systems industries partners associates enterprises
international global bank foundation university institute`)

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	w := ""
	for _, c := range words + " " {
		if c == ' ' || c == '\n' || c == '\t' {
			if w != "" {
				m[w] = true
			}
			w = ""
			continue
		}
		w += string(c)
	}
	return m
}
