import { PageTitle } from "../../components/PageTitle";

export function Home() {
  return <PageTitle>Sister Cities</PageTitle>;
}
