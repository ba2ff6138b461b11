namespace EcgClip.Text;
