// A RequestRedirect filter on HTTPRoute matches KIC merges into one Kong route (same rule filters and backends, same
// method, headers and query parameters): with the traditional routers, httproute.go getRoutesFromMatches appends each
// match's paths to the one route being built and takes a copy after each, so KIC sends N routes with one name and ID
// (translate/kong.ts redirectCopies). Kong's declarative loader rejects the whole configuration.
import { refOf } from '../model/object.ts';
import { httpRouteRules, KONG_BASE } from './example-base.ts';
import type { Draft, Rule } from './rule.ts';
import { name, plainList } from './text.ts';

const REDIRECT = '{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301}}';

export const httpRouteRedirectCopies: Rule = {
  id: 'httproute-redirect-duplicate-routes',
  kongRejects: true,
  severity: 'deny',
  summary: 'Matches KIC merges into one Kong route carry a RequestRedirect filter: KIC sends that route once per match, under one name.',
  explanation:
    'KIC merges the matches of an HTTPRoute\'s rules that share filters and backendRefs, and among those the ones with the same method, headers ' +
    'and query parameters, into one Kong route. With a RequestRedirect filter it builds that route match by match instead and sends a copy after ' +
    'each (httproute.go getRoutesFromMatches): two or more matches give two or more routes with the same name and ID, and Kong rejects the whole ' +
    'configuration ("uniqueness violation: \'routes\' entity with name set to ... already declared"). KIC\'s fallback then leaves the HTTPRoute out. ' +
    'With the expressions router KIC builds one route per match and nothing is duplicated.',
  examples: {
    bad: KONG_BASE + httpRouteRules('moved', [`{matches: [{path: {type: PathPrefix, value: /old}}, {path: {type: PathPrefix, value: /legacy}}], filters: [${REDIRECT}], backendRefs: [{name: echo, port: 1027}]}`]),
    good: KONG_BASE + httpRouteRules('moved', [`{matches: [{path: {type: PathPrefix, value: /old}}], filters: [${REDIRECT}], backendRefs: [{name: echo, port: 1027}]}`]),
  },
  kinds: ['HTTPRoute'],
  check({ tr }, subject) {
    return tr.routesOf(subject).flatMap((route): Draft[] => {
      if (!route.redirectCopies?.length) return [];
      const copies = route.redirectCopies.length + 1;
      return [
        {
          field: route.field.replace(/\.matches\[\d+\]$/, ''),
          discriminator: route.name,
          related: [],
          broken: refOf(subject),
          message:
            `${name(subject)} has ${copies} matches with a RequestRedirect filter that KIC puts in one Kong route, ${route.name}: KIC sends that route ${copies} times ` +
            `under one name (the paths ${plainList(route.paths)} added match by match), and Kong rejects the configuration ` +
            `("uniqueness violation: 'routes' entity with name set to '${route.name}' already declared").`,
          fix: 'give each of these matches its own HTTPRoute (KIC merges matches of rules with the same filters and backendRefs), or use the expressions router.',
        },
      ];
    });
  },
};
