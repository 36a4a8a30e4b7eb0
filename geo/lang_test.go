package geo_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/geo"
)

// langPlaces are fixture places with the Arabic and Cyrillic names the
// bundled gazetteer gives them (ids are the bundled gazetteer's, which the
// language tables refer to), and the traps of real text: villages and far
// towns whose names are common words or clitic forms.
var langPlaces = []fixturePlace{
	fp(163843, "Syria", "A.PCLI", "SY", 35, 38, 22000000, "00", "سوريا,سورية,Сирія,Сирия"),
	fp(2017370, "Russia", "A.PCLI", "RU", 60, 100, 144000000, "00", "Росія,Россия"),
	fp(690791, "Ukraine", "A.PCLI", "UA", 49, 32, 45000000, "00", "Україна,Украина"),
	fp(294640, "Israel", "A.PCLI", "IL", 31.5, 34.75, 7300000, "00", "إسرائيل"),
	fp(170062, "Aleppo Governorate", "A.ADM1", "SY", 36.25, 37.5, 4000000, "09", "حلب,محافظة حلب"),
	fp(170063, "Aleppo", "P.PPLA", "SY", 36.2, 37.16, 1600000, "09", "حلب"),
	fp(169387, "Idlib Governorate", "A.ADM1", "SY", 35.83, 36.67, 1500000, "12", "إدلب"),
	fp(169389, "Idlib", "P.PPLA", "SY", 35.93, 36.63, 128000, "12", "إدلب"),
	fp(170015, "Hama Governorate", "A.ADM1", "SY", 35.17, 37.25, 1600000, "10", "حماة"),
	fp(170017, "Hama", "P.PPLA", "SY", 35.13, 36.76, 460000, "10", "حماة"),
	fp(172955, "Ar Raqqah", "P.PPLA", "SY", 35.95, 39.01, 177000, "04", "الرقة"),
	fp(-11736874784, "al-Firdaws", "P.PPLX", "SY", 36.19, 37.15, 0, "09", "الفردوس"),
	fp(447737, "Al Firdaws", "P.PPL", "SY", 37.17, 41.99, 0, "01", "الفردوس"),
	fp(281124, "Khan Yunis", "P.PPLA2", "PS", 31.34, 34.31, 173000, "GZ", "خان يونس"),
	fp(7001, "Han", "P.PPL", "TR", 39.2, 30.9, 2000, "26", "خان"),
	fp(98182, "Baghdad", "P.PPLC", "IQ", 33.34, 44.4, 7200000, "07", "بغداد"),
	fp(7002, "Ghadad", "P.PPL", "IQ", 33.1, 44.1, 300, "07", "غداد"),
	fp(109223, "Medina", "P.PPLA", "SA", 24.47, 39.61, 1300000, "05", "مدينة"),
	fp(706482, "Kharkiv Oblast", "A.ADM1", "UA", 49.5, 36.5, 2900000, "07", "Харківська область,Харьковская область"),
	fp(706483, "Kharkiv", "P.PPLA", "UA", 49.98, 36.25, 1430000, "07", "Харків,Харьков"),
	fp(713174, "Bakhmut", "P.PPLA2", "UA", 48.59, 38, 80500, "05", "Бахмут"),
	fp(703448, "Kyiv", "P.PPLC", "UA", 50.45, 30.52, 2800000, "12", "Київ,Киев"),
	fp(709716, "Donetsk Oblast", "A.ADM1", "UA", 48, 37.5, 4800000, "05", "Донецька область,Донецкая область,Донецька"),
	fp(709717, "Donetsk", "P.PPLA", "UA", 48.02, 37.8, 900000, "05", "Донецьк,Донецк"),
	fp(687699, "Zaporizhzhia Oblast", "A.ADM1", "UA", 47.5, 35.5, 1900000, "26", "Запорізька область,Запорожская область"),
	fp(687700, "Zaporizhzhia", "P.PPLA", "UA", 47.85, 35.12, 710000, "26", "Запоріжжя,Запорожье"),
	fp(700569, "Mykolaiv", "P.PPLA", "UA", 46.98, 31.99, 470000, "16", "Миколаїв,Николаев"),
	fp(702550, "Lviv", "P.PPLA", "UA", 49.84, 24.02, 717000, "15", "Львів,Львов,Миколаїв"),
	fp(701822, "Mariupol", "P.PPL", "UA", 47.1, 37.54, 430000, "05", "Маріуполь,Мариуполь"),
	fp(698740, "Odesa", "P.PPLA", "UA", 46.49, 30.74, 1000000, "17", "Одеса,Одесса"),
	fp(713122, "Avdiivka", "P.PPL", "UA", 48.14, 37.74, 35800, "05", "Авдіївка,Авдеевка"),
	fp(524901, "Moscow", "P.PPLC", "RU", 55.75, 37.62, 10400000, "48", "Москва"),
	fp(473247, "Vladimir", "P.PPLA", "RU", 56.13, 40.4, 350000, "83", "Владимир,Володимир"),
	fp(704147, "Kremenchuk", "P.PPLA2", "UA", 49.06, 33.4, 217000, "18", "Кременчук"),
	fp(709334, "Dzhankoi", "P.PPLA2", "UA", 45.71, 34.39, 41700, "11", "Джанкой"),
	fp(710734, "Chernihiv Oblast", "A.ADM1", "UA", 51, 32, 1200000, "02", "Чернігівська область"),
	fp(692196, "Sumy Oblast", "A.ADM1", "UA", 51, 34, 1300000, "21", "Сумська область"),
	fp(692194, "Sumy", "P.PPLA", "UA", 50.92, 34.8, 260000, "21", "Суми"),
	fp(704422, "Pokrovsk", "P.PPLA2", "UA", 48.28, 37.18, 60000, "05", "Покровськ"),
	fp(-102088497, "Pokrovskyi", "A.ADM2", "UA", 47.98, 36.35, 41800, "04", "Покровський"),
	fp(7004, "Rütte", "P.PPL", "CH", 47.2, 8.8, 4000, "ZH", "Рютте"),
	fp(-23983408024, "Euphrates River", "H.STM", "", 34.5, 41.8, 0, "", "Euphrates"),
	fp(501175, "Rostov-na-Donu", "P.PPLA", "RU", 47.23, 39.72, 1130000, "61", "Ростов-на-Дону,Ростов"),
	fp(7006, "Dohna", "P.PPL", "DE", 50.95, 13.86, 6000, "13", "Дона"),
	fp(486816, "Sudzha", "P.PPL", "RU", 51.2, 35.27, 6900, "41", "Суджа"),
	fp(282457, "Qalqilyah", "P.PPL", "PS", 32.19, 34.97, 43000, "WE", "قلقيلية"),
	fp(7007, "Settat", "P.PPL", "MA", 33, -7.62, 43000, "09", "سلطات"),
	fp(272103, "Lebanon", "A.PCLI", "LB", 33.83, 35.83, 4100000, "00", "لبنان"),
	fp(2210247, "Tripoli", "P.PPLC", "LY", 32.89, 13.19, 1150000, "77", "طرابلس"),
	fp(2210245, "Tripoli District", "A.ADM1", "LY", 32.89, 13.18, 1065000, "77", "طرابلس"),
	fp(266826, "Tripoli", "P.PPLA", "LB", 34.43, 35.84, 229000, "09", "طرابلس"),
	fp(6252001, "United States", "A.PCLI", "US", 39.76, -98.5, 327000000, "00", ""),
	fp(7008, "Radi", "P.PPL", "IQ", 33.3, 44.3, 900, "07", "Ради"),
	fp(7005, "Zawiya Peninsula", "T.PEN", "SY", 35.7, 36.5, 0, "", "الزززاوية"),
	fp(7003, "Boi", "P.PPL", "UA", 49, 33, 100, "18", "Бо"),
}

func newLangFake() *fakeGazetteer { return fakeOf(langPlaces) }

// want is one expected mention: its text, kind and place.
type want struct {
	text string
	kind string
	id   int64
}

func place(text string, id int64) want   { return want{text, geotag.KindPlace, id} }
func demonym(text string, id int64) want { return want{text, geotag.KindDemonym, id} }

// checkLang tags text against the language fixtures and compares every
// mention, in order.
func checkLang(t *testing.T, text string, ws ...want) {
	t.Helper()
	ms, err := geo.NewTagger(newLangFake()).Tag(context.Background(), text, geotag.TagOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkSpans(t, text, ms)
	var got []string
	for _, m := range ms {
		var id int64
		if m.Place != nil {
			id = m.Place.ID
		}
		got = append(got, m.Text+"/"+m.Kind+"/"+itoa(id))
	}
	var exp []string
	for _, w := range ws {
		exp = append(exp, w.text+"/"+w.kind+"/"+itoa(w.id))
	}
	if strings.Join(got, " | ") != strings.Join(exp, " | ") {
		t.Errorf("%s\n got  %v\n want %v", text, got, exp)
	}
}

func TestArabicClitics(t *testing.T) {
	// و "and", ب "in", لل "for the": the mention starts after the clitic.
	checkLang(t, "وصل الوفد إلى حماة وحلب مساء", place("حماة", 170017), place("حلب", 170063))
	checkLang(t, "اجتماع بالرقة أمس", place("الرقة", 172955))
	checkLang(t, "قافلة للرقة غدا", place("رقة", 172955))
	// The longest valid stem wins: بغداد is Baghdad, not ب + غداد.
	checkLang(t, "انفجار في بغداد", place("بغداد", 98182))
	// A clitic on a word whose first letter it doubles: ب + بغداد.
	checkLang(t, "انفجار ببغداد", place("بغداد", 98182))
	// Tatweel after the clitic is outside the mention.
	checkLang(t, "رسالة لـحلب", place("حلب", 170063))
}

func TestArabicMultiWordAfterClitic(t *testing.T) {
	// "وخان يونس" is Khan Younis, not و + خان (Han, Turkey).
	checkLang(t, "قصف رفح وخان يونس", place("خان يونس", 281124))
}

func TestArabicNormalisation(t *testing.T) {
	// Bare alef for hamza, ha for ta marbuta, tatweel, diacritics.
	checkLang(t, "وصلنا الى ادلب", place("ادلب", 169389))
	checkLang(t, "في حماه", place("حماه", 170017))
	checkLang(t, "في حـلـب", place("حـلـب", 170063))
	checkLang(t, "في حَلَب", place("حَلَب", 170063))
}

func TestArabicCommonNouns(t *testing.T) {
	// "مدينة" (city) is Medina's name too; alone it is no place.
	checkLang(t, "دخلت القوات مدينة كبيرة في الشمال")
	// After it, the name is the city.
	checkLang(t, "قصف بمدينة إدلب", place("إدلب", 169389))
}

func TestArabicTriggers(t *testing.T) {
	checkLang(t, "الأمطار في محافظة حلب", place("حلب", 170062))
	checkLang(t, "معارك في ريف حماة", place("حماة", 170015))
	// حي: the quarter, not the village of the same name.
	checkLang(t, "سقطت قذائف على حي الفردوس", place("الفردوس", -11736874784))
}

func TestArabicDemonyms(t *testing.T) {
	checkLang(t, "قال الجيش السوري", demonym("السوري", 163843))
	checkLang(t, "الحكومة السورية", demonym("السورية", 163843))
	checkLang(t, "وقال مسؤولون إسرائيليون", demonym("إسرائيليون", 294640))
	// Without the article, سورية is the country.
	checkLang(t, "عاد إلى سورية", place("سورية", 163843))
}

func TestUkrainianCases(t *testing.T) {
	checkLang(t, "Обстріл Харкова та Бахмута триває.", place("Харкова", 706483), place("Бахмута", 713174))
	checkLang(t, "Тривога у Києві, бої під Бахмутом.", place("Києві", 703448), place("Бахмутом", 713174))
	checkLang(t, "Вибухи в Одесі і Маріуполі.", place("Одесі", 698740), place("Маріуполі", 701822))
	checkLang(t, "Штурми біля Авдіївки тривають.", place("Авдіївки", 713122))
	checkLang(t, "Новини з Запоріжжя.", place("Запоріжжя", 687700))
}

func TestUkrainianAdmin(t *testing.T) {
	checkLang(t, "Запорізька область під обстрілом.", place("Запорізька область", 687699))
	// The oblast, not the city of Donetsk.
	checkLang(t, "Загинули двоє у Донецькій області.", place("Донецькій області", 709716))
	checkLang(t, "Голова Харківської ОВА заявив.", place("Харківської ОВА", 706482))
	// A regional nickname, inflected.
	checkLang(t, "Ситуація на Донеччині складна.", place("Донеччині", 709716))
}

func TestUkrainianTables(t *testing.T) {
	// The gazetteer gives Lviv the alternate name Миколаїв; the table names Mykolaiv.
	checkLang(t, "Удар по Миколаєву вранці.", place("Миколаєву", 700569))
	// A common word that is also a village's name does not stand alone.
	checkLang(t, "Бої тривають.")
}

func TestRussianCases(t *testing.T) {
	checkLang(t, "Обстрел Харькова и Бахмута продолжается.", place("Харькова", 706483), place("Бахмута", 713174))
	checkLang(t, "Взрывы в Харькове и Одессе.", place("Харькове", 706483), place("Одессе", 698740))
	checkLang(t, "Удар по Запорожью.", place("Запорожью", 687700))
	checkLang(t, "Новости из Николаева.", place("Николаева", 700569))
}

func TestRussianAdmin(t *testing.T) {
	checkLang(t, "Обстрелы в Запорожской области.", place("Запорожской области", 687699))
	checkLang(t, "Ранены шесть человек в Донецкой области.", place("Донецкой области", 709716))
}

func TestCyrillicDemonyms(t *testing.T) {
	checkLang(t, "Удар завдали російські війська.", demonym("російські", 2017370))
	checkLang(t, "Удар нанесли российские войска.", demonym("российские", 2017370))
	checkLang(t, "Обстріл здійснили росіяни.", demonym("росіяни", 2017370))
	checkLang(t, "Ответ украинских военных.", demonym("украинских", 690791))
}

func TestLanguagePerParagraph(t *testing.T) {
	text := "Shelling hit Kharkiv overnight.\n\nОбстріл Харкова тривав усю ніч.\n\nوقصفت حلب."
	checkLang(t, text, place("Kharkiv", 706483), place("Харкова", 706483), place("حلب", 170063))
}

func TestLanguage(t *testing.T) {
	tg := geo.NewTagger(newLangFake())
	for text, code := range map[string]string{
		"Shelling hit Kharkiv overnight.": "en",
		"":                                "en",
		"Обстріл Харкова тривав усю ніч.":              "uk",
		"Обстрел Харькова длился всю ночь.":            "ru",
		"Удар по Запорожью.":                           "ru", // no mark either way: the default
		"قصفت طائرات مدينة حلب":                        "ar",
		"Kharkiv: Обстріл Харкова та Бахмута, і Києва": "uk",
	} {
		if got := tg.Language(text); got != code {
			t.Errorf("Language(%q) = %q, want %q", text, got, code)
		}
	}
}

func TestCyrillicPeople(t *testing.T) {
	// A given name and a capitalised word: a person, not the city of Vladimir.
	checkLang(t, "Заяву зробив Володимир Зеленський.")
	checkLang(t, "Об этом сообщил Владимир Путин в Москве.", place("Москве", 524901))
	// The given name alone may be the city.
	checkLang(t, "Колонна прибыла во Владимир.", place("Владимир", 473247))
}

func TestCyrillicAlternations(t *testing.T) {
	// к → ц before the locative ending, and nouns in -й.
	checkLang(t, "Вибухи в Кременчуці.", place("Кременчуці", 704147))
	checkLang(t, "Вибухи біля Джанкоя.", place("Джанкоя", 709334))
	checkLang(t, "Взрывы под Джанкоем.", place("Джанкоем", 709334))
}

func TestArabicOrganisations(t *testing.T) {
	// A place inside an armed group's name is no place; a demonym after
	// such a word still is, and a trigger word ends the name.
	checkLang(t, "قالت قوات سوريا الديمقراطية إنها تقدمت")
	checkLang(t, "وقال الجيش السوري", demonym("السوري", 163843))
	checkLang(t, "دخلت قوات الاحتلال مدينة إدلب", place("إدلب", 169389))
}

func TestCyrillicTitles(t *testing.T) {
	// A little-known place right after a title is a person's name.
	checkLang(t, "Зустріч із генсеком НАТО Рютте відбулася.")
	// A well-known one stays: "мер Харкова".
	checkLang(t, "Мер Харкова заявив про вибухи і пожежі.", place("Харкова", 706483))
}

func TestCyrillicListTrigger(t *testing.T) {
	// A trigger after a list applies to each of its names.
	checkLang(t, "Відключення у Чернігівській та Сумській областях.",
		place("Чернігівській", 710734), place("Сумській областях", 692196))
}

func TestCyrillicDirection(t *testing.T) {
	// "Покровський напрямок" is the front near Pokrovsk, not the Pokrovskyi district.
	checkLang(t, "Бої на Покровському напрямку.", place("Покровському напрямку", 704422))
}

func TestArabicRegionsAndArticle(t *testing.T) {
	// A peninsula needs a locative word: "في الزززاوية", not the bare word.
	checkLang(t, "قصف في الزززاوية", place("الزززاوية", 7005))
	checkLang(t, "قصف الزززاوية")
	// "القوات" (the forces, with the article) opens no organisation's name.
	checkLang(t, "عبرت القوات نهر الفرات", place("نهر الفرات", -23983408024))
}

// FuzzTagLanguages checks the language rules keep the mention contract on
// any text: no panic, offsets in code points that slice out Text, in order.
func FuzzTagLanguages(f *testing.F) {
	for _, s := range []string{"وحلب", "لـحلب", "ببغداد", "و", "ال", "حيحي", "محافظة", "ريف ", "قوات سوريا",
		"Харкова та Бахмута", "Донецькій області", "у Київській, Сумській та", "області", "Володимир",
		"генсеком НАТО", "Обстрел Харькова\n\nShelling of Kharkiv", "ـــ", "وَحَلَب"} {
		f.Add(s)
	}
	tg := geo.NewTagger(newLangFake())
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return
		}
		ms, err := tg.Tag(context.Background(), text, geotag.TagOptions{})
		if err != nil {
			t.Fatalf("Tag(%q): %v", text, err)
		}
		checkSpans(t, text, ms)
	})
}

func TestCyrillicWithoutMarks(t *testing.T) {
	// No letter or word tells Ukrainian from Russian here: both languages'
	// endings are tried, so the Ukrainian Харків is found.
	checkLang(t, "Удар по Харкову.", place("Харкову", 706483))
}

func TestRussianFeminineAccusativeAndHyphens(t *testing.T) {
	checkLang(t, "Бойцы удерживают Суджу.", place("Суджу", 486816))
	// A hyphenated name with a lower-case word inside is one name.
	checkLang(t, "Визит в Ростов-на-Дону.", place("Ростов-на-Дону", 501175))
}

func TestArabicHomeTowns(t *testing.T) {
	// A town of some size where Arabic reports come from stands alone,
	// after "قوات الاحتلال" (occupation forces, no organisation's name).
	checkLang(t, "اقتحمت قوات الاحتلال قلقيلية فجرا", place("قلقيلية", 282457))
	// One as large far away is a common word: "سلطات" (authorities).
	checkLang(t, "قالت سلطات الاحتلال")
}

func TestArabicContainer(t *testing.T) {
	// "X شمالي Y": Y contains X, as "Tripoli in northern Lebanon" does.
	checkLang(t, "اشتباكات في طرابلس شمالي لبنان", place("طرابلس", 266826), place("لبنان", 272103))
}

func TestCyrillicCountriesAndCommonWords(t *testing.T) {
	// Country names and acronyms the gazetteer lacks in Cyrillic come from the tables.
	checkLang(t, "Допомогу пообіцяли США.", place("США", 6252001))
	// "Ради" is the council (рада), not a village named Radi.
	checkLang(t, "Засідання Ради безпеки відбулося вчора.")
}
