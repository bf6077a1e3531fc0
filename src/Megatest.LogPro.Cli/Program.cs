using System.Text;
using Megatest.LogPro;

var utf8 = new UTF8Encoding(false);
using var stdin = new StreamReader(Console.OpenStandardInput(), utf8, false, 1 << 16);
using var stdout = new StreamWriter(Console.OpenStandardOutput(), utf8, 1 << 16);
var code = LogProCommand.Run(args, stdin, stdout, Console.Error);
stdout.Flush();
return code;
