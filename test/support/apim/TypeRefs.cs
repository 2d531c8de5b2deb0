// Lists the .NET types and members each compiled policy expression references, read from the IL of the
// expressions assembly (compiled by expressions.ts), so that allowedTypes.ts can hold them against the
// gateway's allowed list. Reads what the compiler actually emitted: overload picks, implicit conversions,
// boxing, lambdas and closures all show up, which a source-level scan would miss.
//
// Usage: mono TypeRefs.exe <expressions.exe> <Newtonsoft.Json.dll>
// Output: one JSON line per expression method E<n>: {"method": n, "refs": [{"type": "...", "member": "..."}]}.
// Compiler-generated code of an expression (lambda methods, closure and iterator classes nested in
// PolicyExpressions) is walked and its references count as the expression's own.
//
// Test support only; nothing here ships in the library.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using Newtonsoft.Json;

public static class TypeRefs
{
    static readonly OpCode[] OneByte = new OpCode[256];
    static readonly OpCode[] TwoByte = new OpCode[256];

    static void BuildOpCodeTables()
    {
        foreach (var f in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var op = (OpCode)f.GetValue(null);
            var v = (ushort)op.Value;
            if (op.Size == 1) OneByte[v] = op;
            else if ((v & 0xff00) == 0xfe00) TwoByte[v & 0xff] = op;
        }
    }

    static int OperandSize(OpCode op, byte[] il, int pos)
    {
        switch (op.OperandType)
        {
            case OperandType.InlineNone: return 0;
            case OperandType.ShortInlineBrTarget:
            case OperandType.ShortInlineI:
            case OperandType.ShortInlineVar: return 1;
            case OperandType.InlineVar: return 2;
            case OperandType.InlineI8:
            case OperandType.InlineR: return 8;
            case OperandType.InlineSwitch: return 4 + 4 * BitConverter.ToInt32(il, pos);
            default: return 4; // tokens, InlineI, InlineBrTarget, ShortInlineR, InlineSig, InlineString
        }
    }

    static Type Root;

    /// <summary>Harness or compiler-generated code of the expressions: walked, never reported.</summary>
    static bool IsGenerated(Type t)
    {
        if (t == null) return false;
        if (t.Assembly != Root.Assembly) return false;
        for (var x = t; x != null; x = x.DeclaringType) if (x == Root) return true;
        return t.FullName != null && t.FullName.StartsWith("<PrivateImplementationDetails>");
    }

    static string NameOf(Type t)
    {
        if (t.IsGenericType && !t.IsGenericTypeDefinition) t = t.GetGenericTypeDefinition();
        var ns = t.Namespace == null ? "" : t.Namespace + ".";
        var name = t.Name;
        for (var d = t.DeclaringType; d != null; d = d.DeclaringType) name = d.Name + "+" + name;
        return ns + name;
    }

    class Walker
    {
        public readonly SortedSet<string> Refs = new SortedSet<string>(StringComparer.Ordinal);
        readonly HashSet<MethodBase> walked = new HashSet<MethodBase>();
        readonly HashSet<Type> walkedTypes = new HashSet<Type>();

        void Add(string type, string member)
        {
            Refs.Add(JsonConvert.SerializeObject(member == null ? (object)new { type } : new { type, member }));
        }

        public void AddType(Type t)
        {
            if (t == null || t.IsGenericParameter) return;
            if (t.HasElementType) { AddType(t.GetElementType()); return; } // arrays, by-ref, pointers
            if (IsGenerated(t)) { WalkType(t); return; }
            Add(NameOf(t), null);
            if (t.IsGenericType) foreach (var a in t.GetGenericArguments()) AddType(a);
        }

        void AddMember(MemberInfo m)
        {
            var owner = m.DeclaringType;
            if (owner == null) return; // module-level (global) members
            AddType(owner);
            var mb = m as MethodBase;
            if (IsGenerated(owner))
            {
                if (mb != null) Walk(mb);
            }
            else
            {
                Add(NameOf(owner), m.Name);
            }
            if (mb != null && mb.IsGenericMethod) foreach (var a in mb.GetGenericArguments()) AddType(a);
            var f = m as FieldInfo;
            if (f != null && IsGenerated(owner)) AddType(f.FieldType);
        }

        void WalkType(Type t)
        {
            if (!walkedTypes.Add(t)) return;
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            if (t != Root)
            {
                // A closure or iterator class: everything in it is the expression's code.
                if (t.BaseType != null) AddType(t.BaseType);
                foreach (var i in t.GetInterfaces()) AddType(i);
                foreach (var f in t.GetFields(all)) AddType(f.FieldType);
                foreach (var m in t.GetMethods(all)) Walk(m);
                foreach (var c in t.GetConstructors(all)) Walk(c);
            }
        }

        public void Walk(MethodBase method)
        {
            if (!walked.Add(method)) return;
            var body = method.GetMethodBody();
            if (body == null) return;
            foreach (var l in body.LocalVariables) AddType(l.LocalType);
            foreach (var c in body.ExceptionHandlingClauses)
                if (c.Flags == ExceptionHandlingClauseOptions.Clause) AddType(c.CatchType);
            var typeArgs = method.DeclaringType != null && method.DeclaringType.IsGenericType ? method.DeclaringType.GetGenericArguments() : null;
            var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
            var module = method.Module;
            var il = body.GetILAsByteArray();
            var pos = 0;
            while (pos < il.Length)
            {
                OpCode op;
                var b = il[pos++];
                if (b == 0xfe) op = TwoByte[il[pos++]];
                else op = OneByte[b];
                if (op.Size == 0) throw new InvalidOperationException("unknown opcode 0x" + b.ToString("x2") + " in " + method.Name);
                switch (op.OperandType)
                {
                    case OperandType.InlineMethod:
                        AddMember(module.ResolveMethod(BitConverter.ToInt32(il, pos), typeArgs, methodArgs));
                        break;
                    case OperandType.InlineField:
                        AddMember(module.ResolveField(BitConverter.ToInt32(il, pos), typeArgs, methodArgs));
                        break;
                    case OperandType.InlineType:
                        AddType(module.ResolveType(BitConverter.ToInt32(il, pos), typeArgs, methodArgs));
                        break;
                    case OperandType.InlineTok:
                        var m = module.ResolveMember(BitConverter.ToInt32(il, pos), typeArgs, methodArgs);
                        if (m is Type) AddType((Type)m); else AddMember(m);
                        break;
                }
                pos += OperandSize(op, il, pos);
            }
        }
    }

    public static int Main(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: TypeRefs.exe <expressions.exe> <Newtonsoft.Json.dll>");
            return 2;
        }
        var newtonsoft = Path.GetFullPath(args[1]);
        AppDomain.CurrentDomain.AssemblyResolve += (s, e) =>
            new AssemblyName(e.Name).Name == "Newtonsoft.Json" ? Assembly.LoadFrom(newtonsoft) : null;
        BuildOpCodeTables();
        var asm = Assembly.LoadFrom(Path.GetFullPath(args[0]));
        Root = asm.GetType("PolicyExpressions", true);
        var stdout = Console.Out;
        var methods = Root.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => m.Name.Length > 1 && m.Name[0] == 'E' && m.Name.Skip(1).All(char.IsDigit))
            .OrderBy(m => int.Parse(m.Name.Substring(1)));
        foreach (var m in methods)
        {
            var w = new Walker();
            w.Walk(m);
            stdout.WriteLine("{\"method\":" + m.Name.Substring(1) + ",\"refs\":[" + string.Join(",", w.Refs) + "]}");
        }
        return 0;
    }
}
