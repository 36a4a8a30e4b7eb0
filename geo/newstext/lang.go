package newstext

import (
	"math/rand/v2"
	"strings"
)

// langText holds one language's material: sentence templates with {P}
// for a place phrase (its grammar around the name: a clitic, a case, a
// trigger word), {N} for a number and {D} for a demonym.
type langText struct {
	templates []string
	places    []string
	demonyms  []string
}

var langTexts = map[string]langText{
	"ar": {
		templates: []string{
			"قال ناشطون إن {N} مدنيين قتلوا في قصف على {P} صباح اليوم، فيما نزحت عائلات نحو {P}.",
			"أفادت مصادر محلية بأن قوات النظام {D} استهدفت {P} بالمدفعية الثقيلة.",
			"وصلت قافلة تضم {N} شاحنة مساعدات إلى {P} قادمة من {P}.",
			"دارت اشتباكات عنيفة في {P} استمرت حتى ساعات الفجر، وفق ما أكد مراسلنا.",
			"أعلنت وزارة الصحة في {P} أن عدد الجرحى ارتفع إلى {N} خلال يومين.",
			"وقال مسؤول {D} إن المفاوضات مع الجانب الآخر لم تصل إلى نتيجة.",
		},
		places: []string{"حلب", "وحلب", "بحلب", "مدينة إدلب", "بمدينة إدلب", "ريف حماة", "محافظة حمص", "حي الفردوس",
			"دير الزور", "ودير الزور", "الرقة", "والرقة", "خان يونس", "وخان يونس", "غزة", "رفح", "بيروت", "وبيروت",
			"الموصل", "بغداد", "ببغداد", "صنعاء", "عدن", "الخرطوم", "والفاشر", "دمشق", "ريف دمشق", "اللاذقية"},
		demonyms: []string{"السوري", "الروسي", "الإسرائيلي", "التركي", "العراقي", "اليمني"},
	},
	"uk": {
		templates: []string{
			"За даними ОВА, внаслідок обстрілу {P} поранено {N} людей, серед них двоє дітей.",
			"{D} війська вночі атакували {P} дронами, пошкоджено житлові будинки та школу.",
			"Бої тривають {P}, повідомили у Генштабі, ворог втратив {N} одиниць техніки.",
			"Гуманітарний конвой з {N} вантажівок вирушив до {P}.",
			"Голова громади заявив, що ситуація {P} залишається складною.",
			"Евакуація мешканців {P} триває вже {N} днів.",
		},
		places: []string{"Харкова", "у Києві", "під Бахмутом", "біля Авдіївки", "у Донецькій області", "на Донеччині",
			"Запоріжжя", "у Запорізькій області", "в Одесі", "Херсона", "у Херсонській області", "Маріуполя",
			"під Покровськом", "у Краматорську", "Слов'янська", "в Ізюмі", "Сум", "у Дніпрі", "Миколаєва", "Львова"},
		demonyms: []string{"Російські", "Українські", "Російських", "Білоруські"},
	},
	"ru": {
		templates: []string{
			"По данным администрации, в результате обстрела {P} ранены {N} человек, среди них двое детей.",
			"{D} войска ночью атаковали {P} дронами, повреждены жилые дома и школа.",
			"Бои продолжаются {P}, сообщили в штабе, противник потерял {N} единиц техники.",
			"Гуманитарный конвой из {N} грузовиков выехал в сторону {P}.",
			"Глава администрации заявил, что ситуация {P} остается сложной.",
			"Эвакуация жителей {P} продолжается уже {N} дней.",
		},
		places: []string{"Харькова", "в Киеве", "под Бахмутом", "у Авдеевки", "в Донецкой области", "Запорожья",
			"в Запорожской области", "в Одессе", "Херсона", "в Херсонской области", "Мариуполя", "под Покровском",
			"в Краматорске", "Славянска", "в Изюме", "Сум", "в Днепре", "Николаева", "Львова", "в Белгороде"},
		demonyms: []string{"Российские", "Украинские", "Российских"},
	},
}

// LangDoc returns a generated report of about n bytes in lang ("ar",
// "uk", "ru"), with place names in the forms that language's grammar gives
// them; the same seed gives the same text. It returns "" for another lang.
func LangDoc(lang string, seed uint64, n int) string {
	lt, ok := langTexts[lang]
	if !ok {
		return ""
	}
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	var b strings.Builder
	for b.Len() < n {
		for s := 0; s < 3 && b.Len() < n; s++ {
			t := lt.templates[r.IntN(len(lt.templates))]
			for {
				i := strings.IndexByte(t, '{')
				if i < 0 {
					b.WriteString(t)
					break
				}
				b.WriteString(t[:i])
				switch t[i+1] {
				case 'P':
					b.WriteString(lt.places[r.IntN(len(lt.places))])
				case 'D':
					b.WriteString(lt.demonyms[r.IntN(len(lt.demonyms))])
				default:
					b.WriteString(itoa(2 + r.IntN(40)))
				}
				t = t[i+3:]
			}
			b.WriteByte(' ')
		}
		b.WriteString("\n\n")
	}
	return b.String()
}
