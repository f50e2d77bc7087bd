import 'server-only';
// The Business page: for each H2H token the viewer may use, the company (GetCompany) and the accounts
// with balances (bank-accounts, cut to the viewer's grant by tapiFor). Each part fails on its own, so
// a token without company-info still shows its accounts, and the missing access by its template.
import type { TokenDto } from '../custody/dto';
import { tapiFor } from '../custody/tapi-for';
import { toFailure } from '../portfolio/to-failure';
import { assertUsable, USABLE } from '../portfolio/access';
import type { FailureDto } from '../portfolio/dto';
import type { TapiAccountDto, TapiCompanyDto } from '../tapi';
import { listBusinessTokens, type BusinessViewer } from './access';
import type { BusinessAccountDto, BusinessCompanyDto, BusinessOverviewDto, BusinessTokenViewDto } from './dto';
import { settleBusiness } from './to-business-failure';

function toCompany(company: TapiCompanyDto): BusinessCompanyDto {
  return { name: company.name, fullName: company.fullName, inn: company.inn, kpp: company.kpp, ogrn: company.ogrn, address: company.address };
}

function toAccount(account: TapiAccountDto): BusinessAccountDto {
  return {
    accountNumber: account.accountNumber,
    name: account.name,
    currency: account.currency,
    accountType: account.accountType,
    available: account.balance?.available ?? null,
    book: account.balance?.book ?? null,
    authorized: account.balance?.authorized ?? null,
    main: account.main === true,
  };
}

async function tokenView(viewer: BusinessViewer, token: TokenDto): Promise<BusinessTokenViewDto> {
  const deposited = token.tapi?.company ?? null;
  const company = deposited ? { inn: deposited.inn, kpp: deposited.kpp } : null;
  const client = tapiFor({ viewer }, token.id);
  const [companyResult, accountsResult] = await Promise.all([
    settleBusiness(client.then((tapi) => tapi.getCompany()).then(toCompany), viewer, company),
    settleBusiness(client.then((tapi) => tapi.listAccounts()).then((accounts) => accounts.map(toAccount)), viewer, company),
  ]);
  return {
    tokenId: token.id,
    label: token.label,
    deposited,
    company: companyResult.data,
    companyFailure: companyResult.failure,
    accounts: accountsResult.data ?? [],
    accountsFailure: accountsResult.failure,
  };
}

/** Why a token cannot be called now, in the same words as every other page. */
function whyUnusable(token: TokenDto, viewer: BusinessViewer): FailureDto {
  try {
    assertUsable(token);
  } catch (error) {
    return toFailure(error, viewer);
  }
  throw new Error(`Token ${token.id} is usable.`);
}

/** Every usable H2H token of the viewer with its company and granted accounts; unusable ones with the reason. */
export async function getBusinessOverview(viewer: BusinessViewer): Promise<BusinessOverviewDto> {
  const tokens = await listBusinessTokens(viewer);
  const usable = tokens.filter((token) => USABLE.has(token.status));
  const unusable = tokens
    .filter((token) => !USABLE.has(token.status))
    .map((token) => ({ tokenId: token.id, label: token.label, failure: whyUnusable(token, viewer) }));
  return { tokens: await Promise.all(usable.map((token) => tokenView(viewer, token))), unusable };
}
