import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Paragraphs } from "~/components/paragraphs";
import { getLocale } from "~/i18n/locale.server";
import { defineMessages } from "~/i18n/messages";

// Texts from the organisation's own description and goal page (../shared/seeds).
const messages = defineMessages({
  sv: {
    title: "Om Västerås stadsmission",
    intro:
      "Västerås stadsmission är en ideell förening som arbetar för att göra Västerås till en mänskligare stad för alla. Det gör vi genom öppna mötesplatser, enskilt stöd, arbetsträning, socialt företagande samt särskild verksamhet för utsatta kvinnor. I våra verksamheter möter vi dagligen människor som lever i hemlöshet, missbruk och med psykisk ohälsa, våldsutsatta kvinnor, ensamma, arbetslösa och fattiga.",
    visionHeading: "Vision",
    vision: "Ett mänskligare Västerås för alla.",
    strategyHeading: "Fem lokala mål",
    strategy:
      "Under 2022 gick Västerås stadsmission in i en ny strategiperiod. I strategin utgår föreningen från fem lokala mål som kan kopplas till tio av de globala målen: Ingen hemlöshet, Alla är trygga, Ingen ensamhet, Ingen psykisk ohälsa och Alla kan arbeta.",
    activitiesHeading: "Våra verksamheter",
    activities:
      "Talk2Me – samtalsstöd för den som behöver det.\n\nDagverksamheten – en öppen mötesplats på Sturegatan 22 för dem som befinner sig längst ut i utsattheten.\n\nMatcentralen – mat som annars hade blivit svinn förmedlas till ekonomiskt utsatta västeråsare.\n\nFRIDA – en dagverksamhet endast öppen för kvinnor som lever i olika typer av utsatthet.\n\nSecond hand – arbetsintegration genom anpassad sysselsättning.",
    supportHeading: "Vad kan jag göra?",
    support:
      "För att nå målen krävs samverkan mellan civilsamhället, det offentliga, näringslivet och Västerås invånare.\n\nSom privatperson kan du dela Lokalamålen.se eller det mål du brinner för i sociala medier. Genom jobbet kan du skapa en insamling bland kollegorna – kanske till och med en tävling med företaget vägg i vägg.\n\nSom företag kan ni bli partner i något av de lokala målen. Som arbetsgivare kan du erbjuda att avsätta en viss summa av medarbetarens lön: du står för administrationen och medarbetaren för bidraget. Det kan vara 100 kr/månad, en promille av lönen eller något annat ni kommer överens om.",
    contactHeading: "Kontakt",
    contactIntro: "För mer information om partnerskap kontakta:",
    phone: "Telefon",
    email: "E-post",
  },
  en: {
    title: "About Västerås stadsmission",
    intro:
      "Västerås stadsmission is a non-profit association working to make Västerås a more humane city for everyone. We do this through open meeting places, individual support, work training, social enterprise and a dedicated service for vulnerable women. Every day we meet people living in homelessness, addiction and mental ill-health, women exposed to violence, and people who are lonely, unemployed or poor.",
    visionHeading: "Vision",
    vision: "A more humane Västerås for everyone.",
    strategyHeading: "Five local goals",
    strategy:
      "In 2022 Västerås stadsmission began a new strategy period built on five local goals, linked to ten of the UN Global Goals: No homelessness, Everyone is safe, No loneliness, No mental ill-health and Everyone can work.",
    activitiesHeading: "Our services",
    activities:
      "Talk2Me – counselling for anyone who needs it.\n\nThe day centre – an open meeting place at Sturegatan 22 for those furthest out in vulnerability.\n\nMatcentralen – food that would otherwise go to waste is passed on to Västerås residents with strained finances.\n\nFRIDA – a day service open only to women living in different kinds of vulnerability.\n\nSecond hand – work integration through adapted work.",
    supportHeading: "What can I do?",
    support:
      "Reaching the goals takes civil society, the public sector, business and the people of Västerås working together.\n\nAs an individual you can share Lokalamålen.se, or the goal you care about, on social media. Through work you can start a collection among colleagues – perhaps even a competition with the company next door.\n\nAs a company you can become a partner of one of the local goals. As an employer you can offer to set aside part of your employees' salary: you handle the administration and the employee makes the gift. It could be 100 kr a month, a per mille of the salary or whatever you agree on.",
    contactHeading: "Contact",
    contactIntro: "For more information about partnership, contact:",
    phone: "Phone",
    email: "Email",
  },
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  return { locale: await getLocale(request) };
}

export default function About() {
  const { locale } = useLoaderData<typeof loader>();
  const t = messages(locale);
  return (
    <article className="prose" aria-labelledby="about-title">
      <h1 id="about-title">{t.title}</h1>
      <p>{t.intro}</p>
      <h2>{t.visionHeading}</h2>
      <p>{t.vision}</p>
      <h2>{t.strategyHeading}</h2>
      <p>{t.strategy}</p>
      <h2>{t.activitiesHeading}</h2>
      <Paragraphs text={t.activities} />
      <h2 id="stod">{t.supportHeading}</h2>
      <Paragraphs text={t.support} />
      <h2 id="kontakt">{t.contactHeading}</h2>
      <p>{t.contactIntro}</p>
      <address>
        Rickard Salzmann
        <br />
        {t.phone}: <a href="tel:+46722309561">072-230 95 61</a>
        <br />
        {t.email}: <a href="mailto:rickard.salzmann@vasterasstadsmission.se">rickard.salzmann@vasterasstadsmission.se</a>
      </address>
    </article>
  );
}
