/**
 * The .NET types and members APIM allows in policy expressions, as data. A type outside this list makes the
 * gateway reject the policy (or fail the expression at run time), so typeRefs.ts holds every compiled
 * expression against it. Test support only.
 *
 * Source: Learn "API Management policy expressions", section ".NET Framework types allowed in policy
 * expressions" (learn.microsoft.com/azure/api-management/api-management-policy-expressions#CLRTypes; markdown
 * MicrosoftDocs/azure-docs articles/api-management/api-management-policy-expressions.md). Type names are the
 * doc's spelling; `clrName` turns `List<T>` into `List\`1` and `TimeZoneInfo.AdjustmentRule` into
 * `TimeZoneInfo+AdjustmentRule`. Members: "All", or the listed names, where "(Constructor)" is `.ctor` and a
 * property name covers its getter.
 */

export type AllowedMembers = "All" | readonly string[];

const ALL = "All" as const;

/** The doc's table, verbatim (type -> "All" or the supported members). */
export const DOCUMENTED_TYPES: Readonly<Record<string, AllowedMembers>> = {
  "Newtonsoft.Json.Formatting": ALL,
  "Newtonsoft.Json.JsonConvert": ["SerializeObject", "DeserializeObject"],
  "Newtonsoft.Json.Linq.Extensions": ALL,
  "Newtonsoft.Json.Linq.JArray": ALL,
  "Newtonsoft.Json.Linq.JConstructor": ALL,
  "Newtonsoft.Json.Linq.JContainer": ALL,
  "Newtonsoft.Json.Linq.JObject": ALL,
  "Newtonsoft.Json.Linq.JProperty": ALL,
  "Newtonsoft.Json.Linq.JRaw": ALL,
  "Newtonsoft.Json.Linq.JToken": ALL,
  "Newtonsoft.Json.Linq.JTokenType": ALL,
  "Newtonsoft.Json.Linq.JValue": ALL,
  "System.Array": ALL,
  "System.BitConverter": ALL,
  "System.Boolean": ALL,
  "System.Byte": ALL,
  "System.Char": ALL,
  "System.Collections.Generic.Dictionary<TKey, TValue>": ALL,
  "System.Collections.Generic.HashSet<T>": ALL,
  "System.Collections.Generic.ICollection<T>": ALL,
  "System.Collections.Generic.IDictionary<TKey, TValue>": ALL,
  "System.Collections.Generic.IEnumerable<T>": ALL,
  "System.Collections.Generic.IEnumerator<T>": ALL,
  "System.Collections.Generic.IList<T>": ALL,
  "System.Collections.Generic.IReadOnlyCollection<T>": ALL,
  "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>": ALL,
  "System.Collections.Generic.ISet<T>": ALL,
  "System.Collections.Generic.KeyValuePair<TKey, TValue>": ALL,
  "System.Collections.Generic.List<T>": ALL,
  "System.Collections.Generic.Queue<T>": ALL,
  "System.Collections.Generic.Stack<T>": ALL,
  "System.Convert": ALL,
  "System.DateTime": [
    "(Constructor)", "Add", "AddDays", "AddHours", "AddMilliseconds", "AddMinutes", "AddMonths", "AddSeconds", "AddTicks", "AddYears",
    "Date", "Day", "DayOfWeek", "DayOfYear", "DaysInMonth", "Hour", "IsDaylightSavingTime", "IsLeapYear", "MaxValue", "Millisecond",
    "Minute", "MinValue", "Month", "Now", "Parse", "Second", "Subtract", "Ticks", "TimeOfDay", "Today", "ToString", "UtcNow", "Year",
  ],
  "System.DateTimeKind": ["Utc"],
  "System.DateTimeOffset": ALL,
  "System.Decimal": ALL,
  "System.Double": ALL,
  "System.Exception": ALL,
  "System.Guid": ALL,
  "System.Int16": ALL,
  "System.Int32": ALL,
  "System.Int64": ALL,
  "System.IO.StringReader": ALL,
  "System.IO.StringWriter": ALL,
  "System.Linq.Enumerable": ALL,
  "System.Math": ALL,
  "System.MidpointRounding": ALL,
  "System.Net.IPAddress": ALL,
  "System.Net.WebUtility": ALL,
  "System.Nullable": ALL,
  "System.Random": ALL,
  "System.SByte": ALL,
  "System.Security.Cryptography.AsymmetricAlgorithm": ALL,
  "System.Security.Cryptography.CipherMode": ALL,
  "System.Security.Cryptography.HashAlgorithm": ALL,
  "System.Security.Cryptography.HashAlgorithmName": ALL,
  "System.Security.Cryptography.HMAC": ALL,
  "System.Security.Cryptography.HMACMD5": ALL,
  "System.Security.Cryptography.HMACSHA1": ALL,
  "System.Security.Cryptography.HMACSHA256": ALL,
  "System.Security.Cryptography.HMACSHA384": ALL,
  "System.Security.Cryptography.HMACSHA512": ALL,
  "System.Security.Cryptography.KeyedHashAlgorithm": ALL,
  "System.Security.Cryptography.MD5": ALL,
  "System.Security.Cryptography.Oid": ALL,
  "System.Security.Cryptography.PaddingMode": ALL,
  "System.Security.Cryptography.RNGCryptoServiceProvider": ALL,
  "System.Security.Cryptography.RSA": ALL,
  "System.Security.Cryptography.RSAEncryptionPadding": ALL,
  "System.Security.Cryptography.RSASignaturePadding": ALL,
  "System.Security.Cryptography.SHA1": ALL,
  "System.Security.Cryptography.SHA1Managed": ALL,
  "System.Security.Cryptography.SHA256": ALL,
  "System.Security.Cryptography.SHA256Managed": ALL,
  "System.Security.Cryptography.SHA384": ALL,
  "System.Security.Cryptography.SHA384Managed": ALL,
  "System.Security.Cryptography.SHA512": ALL,
  "System.Security.Cryptography.SHA512Managed": ALL,
  "System.Security.Cryptography.SymmetricAlgorithm": ALL,
  "System.Security.Cryptography.X509Certificates.PublicKey": ALL,
  "System.Security.Cryptography.X509Certificates.RSACertificateExtensions": ALL,
  "System.Security.Cryptography.X509Certificates.X500DistinguishedName": ["Name"],
  "System.Security.Cryptography.X509Certificates.X509Certificate": ALL,
  "System.Security.Cryptography.X509Certificates.X509Certificate2": ALL,
  "System.Security.Cryptography.X509Certificates.X509ContentType": ALL,
  "System.Security.Cryptography.X509Certificates.X509NameType": ALL,
  "System.Single": ALL,
  "System.String": ALL,
  "System.StringComparer": ALL,
  "System.StringComparison": ALL,
  "System.StringSplitOptions": ALL,
  "System.Text.Encoding": ALL,
  "System.Text.RegularExpressions.Capture": ["Index", "Length", "Value"],
  "System.Text.RegularExpressions.CaptureCollection": ["Count", "Item"],
  "System.Text.RegularExpressions.Group": ["Captures", "Success"],
  "System.Text.RegularExpressions.GroupCollection": ["Count", "Item"],
  "System.Text.RegularExpressions.Match": ["Empty", "Groups", "Result"],
  "System.Text.RegularExpressions.Regex": ["(Constructor)", "IsMatch", "Match", "Matches", "Replace", "Unescape", "Split"],
  "System.Text.RegularExpressions.RegexOptions": ALL,
  "System.Text.StringBuilder": ALL,
  "System.TimeSpan": ALL,
  "System.TimeZone": ALL,
  "System.TimeZoneInfo.AdjustmentRule": ALL,
  "System.TimeZoneInfo.TransitionTime": ALL,
  "System.TimeZoneInfo": ALL,
  "System.Tuple": ALL,
  "System.UInt16": ALL,
  "System.UInt32": ALL,
  "System.UInt64": ALL,
  "System.Uri": ALL,
  "System.UriPartial": ALL,
  "System.Xml.Linq.Extensions": ALL,
  "System.Xml.Linq.XAttribute": ALL,
  "System.Xml.Linq.XCData": ALL,
  "System.Xml.Linq.XComment": ALL,
  "System.Xml.Linq.XContainer": ALL,
  "System.Xml.Linq.XDeclaration": ALL,
  // The doc says "All, except of: Load"; modelled by listing the rest would rot, so Load is refused in EXCLUDED.
  "System.Xml.Linq.XDocument": ALL,
  "System.Xml.Linq.XDocumentType": ALL,
  "System.Xml.Linq.XElement": ALL,
  "System.Xml.Linq.XName": ALL,
  "System.Xml.Linq.XNamespace": ALL,
  "System.Xml.Linq.XNode": ALL,
  "System.Xml.Linq.XNodeDocumentOrderComparer": ALL,
  "System.Xml.Linq.XNodeEqualityComparer": ALL,
  "System.Xml.Linq.XObject": ALL,
  "System.Xml.Linq.XProcessingInstruction": ALL,
  "System.Xml.Linq.XText": ALL,
  "System.Xml.XmlNodeType": ALL,
};

/** Members the doc carves out of an "All" type. */
export const EXCLUDED_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  "System.Xml.Linq.XDocument": ["Load"],
};

/**
 * The documented context API (doc section "Context variable"), as modelled in ApimContext.cs. Only the
 * documented surface: the model's implementation classes (MultiValueDictionary, Context, Request, ...) and the
 * evaluation host are not on the gateway, so an expression naming them is a violation. Jwt and
 * BasicAuthCredentials expose getters only (their setters are internal to the model, reachable here only
 * because expressions compile into the model's assembly).
 */
export const CONTEXT_TYPES: Readonly<Record<string, AllowedMembers>> = {
  "Apim.Model.IContext": ALL,
  "Apim.Model.IApi": ALL,
  "Apim.Model.ISubscriptionKeyParameterNames": ALL,
  "Apim.Model.IDeployment": ALL,
  "Apim.Model.ILastError": ALL,
  "Apim.Model.IOperation": ALL,
  "Apim.Model.IProduct": ALL,
  "Apim.Model.ProductState": ALL,
  "Apim.Model.IGroup": ALL,
  "Apim.Model.IRequest": ALL,
  "Apim.Model.IPrivateEndpointConnection": ALL,
  "Apim.Model.IResponse": ALL,
  "Apim.Model.ISubscription": ALL,
  "Apim.Model.IUser": ALL,
  "Apim.Model.IUserIdentity": ALL,
  "Apim.Model.IUrl": ALL,
  "Apim.Model.IHeaders": ALL,
  "Apim.Model.IQuery": ALL,
  "Apim.Model.IClaims": ALL,
  "Apim.Model.IVariables": ALL,
  "Apim.Model.IMessageBody": ALL,
  "Apim.Model.Jwt": ["Algorithm", "Audiences", "Claims", "ExpirationTime", "Id", "Issuer", "IssuedAt", "NotBefore", "Subject", "Type"],
  "Apim.Model.BasicAuthCredentials": ["Password", "UserId"],
  "Apim.Model.PolicyStringExtensions": ["AsJwt", "TryParseJwt", "AsBasic", "TryParseBasic"],
};

/**
 * What C# itself needs for expressions the doc's own examples use (casts, `+` on strings, `(bool)` boxing,
 * lambdas for the listed System.Linq.Enumerable, foreach and array initialisers). Not in the doc's table
 * because they are the language, not a library; kept to the members the compiler emits.
 */
export const LANGUAGE_TYPES: Readonly<Record<string, AllowedMembers>> = {
  // Object.GetType (reflection) and MemberwiseClone are deliberately absent.
  "System.Object": ["(Constructor)", "ToString", "Equals", "GetHashCode", "ReferenceEquals"],
  "System.Void": ALL,
  // Lambdas (e.g. `.Any(h => ...)`) compile to delegate construction and, inside LINQ, Invoke.
  "System.Func<TResult>": ["(Constructor)", "Invoke"],
  "System.Func<T, TResult>": ["(Constructor)", "Invoke"],
  "System.Func<T1, T2, TResult>": ["(Constructor)", "Invoke"],
  "System.Func<T1, T2, T3, TResult>": ["(Constructor)", "Invoke"],
  "System.Action<T>": ["(Constructor)", "Invoke"],
  // foreach over IEnumerable<T> and `using`: the compiler calls the non-generic base members.
  "System.Collections.IEnumerable": ["GetEnumerator"],
  "System.Collections.IEnumerator": ["MoveNext", "Current", "Reset"],
  "System.IDisposable": ["Dispose"],
  // `new[] { 1, 2, 3 }` of primitives; `x?.Y` / `??` on Nullable<T> use the listed System.Nullable.
  "System.Runtime.CompilerServices.RuntimeHelpers": ["InitializeArray"],
  "System.RuntimeFieldHandle": ALL,
  "System.Runtime.CompilerServices.CompilerGeneratedAttribute": ALL,
};

/**
 * Types the compiler names only because a listed member's signature does: `JToken.ToString(Formatting.None)`
 * binds `ToString(Formatting, params JsonConverter[])` and mcs passes `Array.Empty<JsonConverter>()`. The type
 * may be named, none of its members used (an expression cannot declare a converter class anyway).
 */
export const SIGNATURE_TYPES: Readonly<Record<string, AllowedMembers>> = {
  "Newtonsoft.Json.JsonConverter": [],
};

/**
 * `Foo<T, U>` -> `Foo\`2`; `Outer.Inner` -> `Outer+Inner` when Outer is itself a listed type (the CLR's
 * nested-type spelling, as TypeRefs.cs prints it).
 */
export function clrName(docName: string, listed: ReadonlySet<string>): string {
  const generic = /^(.*)<([^>]*)>$/.exec(docName);
  const base = generic ? `${generic[1]}\`${generic[2]!.split(",").length}` : docName;
  const dot = base.lastIndexOf(".");
  return dot > 0 && listed.has(base.slice(0, dot)) ? `${base.slice(0, dot)}+${base.slice(dot + 1)}` : base;
}

/** CLR type name -> allowed members; `System.Nullable` and `System.Tuple` cover their generic forms. */
export function allowedTypeTable(): ReadonlyMap<string, AllowedMembers> {
  const entries = { ...DOCUMENTED_TYPES, ...CONTEXT_TYPES, ...LANGUAGE_TYPES, ...SIGNATURE_TYPES };
  const listed = new Set(Object.keys(entries));
  const table = new Map<string, AllowedMembers>();
  for (const [name, members] of Object.entries(entries)) table.set(clrName(name, listed), members);
  table.set("System.Nullable`1", DOCUMENTED_TYPES["System.Nullable"]!);
  for (let n = 1; n <= 8; n++) table.set(`System.Tuple\`${n}`, DOCUMENTED_TYPES["System.Tuple"]!);
  return table;
}
