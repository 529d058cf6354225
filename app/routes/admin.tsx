import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { StaffLayout } from "~/components/ui/staff-nav";
import { getLocale } from "~/i18n/locale.server";
import { isAdmin, requireStaff } from "~/utils/auth.server";

/** The frame of every /admin page: the side navigation. Each page still checks its own access. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  return { locale: await getLocale(request), admin: isAdmin(user) };
}

export default function Admin() {
  const { locale, admin } = useLoaderData<typeof loader>();
  return (
    <StaffLayout locale={locale} admin={admin}>
      <Outlet />
    </StaffLayout>
  );
}
