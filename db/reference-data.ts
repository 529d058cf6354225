import type { NewGoal } from "./schema";

/**
 * The five local goals as first loaded. Texts come from the organisation's own material in
 * ../shared/seeds: goal 2 from its page (000_…), the others drafted from the organisation's
 * description (003_…) and marked `draft` for staff to review. No yearly targets: the seeds give none.
 */
export const referenceGoals: NewGoal[] = [
  {
    number: 1,
    slug: "ingen-hemloshet",
    titleSv: "Ingen hemlöshet",
    titleEn: "No homelessness",
    leadSv: "Ett mänskligare Västerås där ingen lever i hemlöshet.",
    leadEn: "A more humane Västerås where no one lives in homelessness.",
    aboutSv:
      "Människor som av olika anledningar hamnat i utsatthet behöver stöd på olika sätt. Av de som lever i hemlöshet, missbruk och psykisk ohälsa finns särskilda behov och resan är ofta lång tillbaka till ett liv inkluderat i samhället.\n\nDen som tidigare levt i hemlöshet men som får en bostad är ett steg närmare att bryta sitt utanförskap.",
    aboutEn:
      "People who for different reasons have ended up in vulnerability need support in different ways. Those living in homelessness, addiction and mental ill-health have particular needs, and the road back to a life included in society is often long.\n\nSomeone who has lived in homelessness and gets a home is one step closer to breaking their exclusion.",
    todaySv:
      "Dagverksamheten på Sturegatan 22 är en öppen mötesplats för dem som befinner sig längst ut i utsattheten. Vi tillgodoser basala behov såsom värme, vila, mat, hygien och kläder. I samverkan med regionen tillhandahåller vi sjukvård och fotvård, och vid behov följer vi med och stöttar individen i dialogen med olika myndigheter (ombudsmannaskap).",
    todayEn:
      "The day centre at Sturegatan 22 is an open meeting place for those furthest out in vulnerability. We meet basic needs such as warmth, rest, food, hygiene and clothes. Together with the region we provide health care and foot care, and when needed we accompany and support people in their dealings with public authorities.",
    moreSv:
      "Ett av strategins mål är att till 2024 ha skapat en modell för hur vi kan arbeta med bostadsintegration med utgångspunkt i våra lägenheter och bostad först. Vi vill också fortsätta stötta den som går från hemlöshet till ett ordnat boende, så att inkluderingen blir hållbar.",
    moreEn:
      "One of the strategy's goals is to have created, by 2024, a model for working with housing integration based on our flats and Housing First. We also want to keep supporting people moving from homelessness into a settled home, so that inclusion lasts.",
    sdgs: [],
    draft: true,
  },
  {
    number: 2,
    slug: "alla-ar-trygga",
    titleSv: "Alla är trygga",
    titleEn: "Everyone is safe",
    leadSv: "Allt fler upplever ökad otrygghet, både i hemmet och ute på gatan.",
    leadEn: "More and more people feel unsafe, both at home and out on the street.",
    aboutSv:
      "Vi tror på ett Västerås där alla känner sig trygga och där ingen ska behöva känna sig otrygg på grund av att någon annan hamnat i ett utanförskap. Vi tror på ett Västerås där ingen utsätts för våld, varken på gatan eller i sitt eget hem.\n\nGenom att stödja Lokalt mål #2 möjliggör du för oss att öka vår närvaro i city och i stadsdelarna. Där kan vi skapa goda relationer och arbeta förebyggande. En målgrupp som är extra utsatt är våldsutsatta kvinnor i missbruk, där det är av yttersta vikt att de får rätt stöd i rätt ordning.",
    aboutEn:
      "We believe in a Västerås where everyone feels safe and where no one has to feel unsafe because someone else has ended up excluded. We believe in a Västerås where no one is exposed to violence, neither on the street nor in their own home.\n\nBy supporting Local goal #2 you make it possible for us to increase our presence in the city centre and in the neighbourhoods. There we can build good relationships and work preventively. One group that is especially vulnerable is women in addiction who are exposed to violence, for whom it is vital to get the right support in the right order.",
    todaySv:
      "Matcentralen: för att öka tryggheten hos ekonomiskt utsatta västeråsare jobbar vi med matstöd genom en matcentral som upprättades i början av 2022. Via Matcentralen når vi mellan 200–250 hushåll i veckan med hjälp av ca 250 ton livsmedel som vi varje år kan rädda från att bli svinn tillsammans med våra leverantörer.\n\nUppsökande arbete ute på gatorna i citykärnan gör att vi kan skapa viss trygghet bland Västerås citys besökare och handlare.\n\nFrida – en verksamhet för utsatta kvinnor, öppen tre dagar i veckan och den första helt insamlingsfinansierade verksamheten, startad 2019. Hit är alla utsatta kvinnor välkomna.",
    todayEn:
      "Matcentralen (the food centre): to increase the security of Västerås residents with strained finances we provide food support through a food centre set up in early 2022. Through it we reach between 200 and 250 households a week with about 250 tonnes of food that we and our suppliers save from going to waste every year.\n\nOutreach work on the streets of the city centre lets us create some security among visitors and shopkeepers.\n\nFrida – a service for vulnerable women, open three days a week and our first service funded entirely by fundraising, started in 2019. All vulnerable women are welcome.",
    moreSv:
      "Stöd för utsatta kvinnor, även utanför våra verksamheters öppettider. Stöd för den som går från hemlöshet till ett ordnat boende. Goda relationer genom uppsökande och förebyggande arbete, såväl i som utanför stadskärnan. Skydd för våldsutsatta kvinnor med missbruk: målsättningen är att det ska finnas ett skyddat boende för målgruppen där de kan känna sig trygga dygnet runt.",
    moreEn:
      "Support for vulnerable women, also outside our opening hours. Support for people moving from homelessness into a settled home. Good relationships through outreach and preventive work, both in and outside the city centre. Protection for women in addiction who are exposed to violence: the aim is a sheltered home for this group where they can feel safe around the clock.",
    // The goal page names these aims: prevent substance abuse (SDG 3), end violence against women
    // and a more equal society (SDG 5). The page's own SDG icons were not in the seed text.
    sdgs: [3, 5],
    draft: false,
  },
  {
    number: 3,
    slug: "ingen-ensamhet",
    titleSv: "Ingen ensamhet",
    titleEn: "No loneliness",
    leadSv: "Ett Västerås där alla känner samhörighet.",
    leadEn: "A Västerås where everyone feels they belong.",
    aboutSv:
      "Vi vill att människor ska återfå kontrollen över sina liv, känna hopp och livsglädje, samt känna samhörighet i samhället. Den som bryter med sitt gamla sammanhang kan lätt känna stor ensamhet, som i sin tur kan leda till psykisk ohälsa.",
    aboutEn:
      "We want people to regain control of their lives, to feel hope and joy, and to feel they belong in society. Someone who breaks with their old circle can easily feel very lonely, which in turn can lead to mental ill-health.",
    todaySv:
      "Öppna mötesplatser: i Dagverksamheten möts människor som lever i utsatthet. På FRIDA kan besökarna laga mat tillsammans, pyssla eller bara slappna av och känna sig trygga för en stund.",
    todayEn:
      "Open meeting places: people living in vulnerability meet at the day centre. At FRIDA visitors can cook together, do crafts or simply relax and feel safe for a while.",
    moreSv:
      "Vi vill fortsätta stötta dem vi tidigare haft kontakt med i våra verksamheter, men som kanske inte längre besöker oss lika ofta, så att ingen blir ensam på vägen mot ett självständigt liv.",
    moreEn:
      "We want to keep supporting people we have met in our services who may no longer visit as often, so that no one is left alone on the way to an independent life.",
    sdgs: [],
    draft: true,
  },
  {
    number: 4,
    slug: "ingen-psykisk-ohalsa",
    titleSv: "Ingen psykisk ohälsa",
    titleEn: "No mental ill-health",
    leadSv: "Tidigt stöd för den som inte mår bra.",
    leadEn: "Early support for those who are not well.",
    aboutSv:
      "Den psykiska ohälsan bland yngre blir allt större. Att fånga upp individer som inte mår bra tidigt gör att de kan få stöd i att hitta en bra väg framåt i livet.",
    aboutEn:
      "Mental ill-health among young people keeps growing. Reaching people who are not well early means they can get support to find a good way forward in life.",
    todaySv:
      "Talk2Me erbjuder samtalsstöd för den som behöver det. Förutom en samordnare finns cirka 40 terapeuter som alla arbetar volontärt. Den stödsökande får vara anonym, det är kostnadsfritt och man får sitt första samtal inom 14 dagar från första kontakt.",
    todayEn:
      "Talk2Me offers counselling to anyone who needs it. Besides a coordinator there are about 40 therapists, all volunteers. Those seeking support may stay anonymous, it is free of charge, and the first conversation takes place within 14 days of first contact.",
    moreSv: "Vi har skapat förutsättningar för att möta fler individer i Talk2Me och vill nå ännu fler.",
    moreEn: "We have made room to meet more people in Talk2Me and want to reach even more.",
    sdgs: [],
    draft: true,
  },
  {
    number: 5,
    slug: "alla-kan-arbeta",
    titleSv: "Alla kan arbeta",
    titleEn: "Everyone can work",
    leadSv: "Anpassad sysselsättning som en väg in på arbetsmarknaden.",
    leadEn: "Adapted work as a way into the labour market.",
    aboutSv:
      "Ett allt högre tempo i samhället och en ökad psykisk ohälsa gör att många människor hamnar i en situation där de inte klarar av arbetsmarknaden som den fungerar idag utan stöd.",
    aboutEn:
      "An ever faster pace in society and growing mental ill-health mean that many people end up unable to manage the labour market as it works today without support.",
    todaySv:
      "I vår second hand-verksamhet är det primära syftet arbetsintegration: anpassad sysselsättning för den som inte står till arbetsmarknadens förfogande eller behöver anpassat arbete. Matcentralen drivs till stor del av människor som befinner sig utanför ordinarie arbetsmarknad och som där kan ta sig ur arbetslöshet och in på arbetsmarknaden.",
    todayEn:
      "In our second-hand business the primary purpose is work integration: adapted work for people who are not available to the labour market or who need adapted work. Matcentralen is largely run by people outside the regular labour market, who can move from unemployment into work there.",
    moreSv:
      "Vårt uppdrag är att dels testa individers arbetsförmåga men också att göra dem redo för arbetsmarknaden och ge dem rätt kompetens för att kunna arbeta i en annan organisation.",
    moreEn:
      "Our task is both to assess people's capacity for work and to prepare them for the labour market, with the right skills to work in another organisation.",
    sdgs: [],
    draft: true,
  },
];

/** Partner tiers. The seeds give no amounts: minimum yearly amounts stay unset until staff fill them in. */
export const referenceTiers = [
  { slug: "huvudpartner", nameSv: "Huvudpartner", nameEn: "Main partner", rank: 1 },
  { slug: "partner", nameSv: "Partner", nameEn: "Partner", rank: 2 },
  { slug: "vanforetag", nameSv: "Vänföretag", nameEn: "Friend company", rank: 3 },
];
